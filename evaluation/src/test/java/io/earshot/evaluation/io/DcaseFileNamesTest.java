package io.earshot.evaluation.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DcaseFileNamesTest {

    @Test
    void aSourcesFirstStreamKeepsItsNameAndLaterStreamsAddTheirId() {
        assertEquals("street-01.wav", DcaseFileNames.recording("street-01.wav", "20261124T225800Z-7f3a91c2", true));
        assertEquals("street-01.wav~20261124T225800Z-7f3a91c2",
                DcaseFileNames.recording("street-01.wav", "20261124T225800Z-7f3a91c2", false));
        // A source id with the separator cannot pose as another source's stream.
        assertEquals("a%7Es2", DcaseFileNames.recording("a~s2", "x", true));
        assertNotEquals(DcaseFileNames.recording("a~s2", "x", true), DcaseFileNames.recording("a", "s2", false));
        assertEquals("tab%09in", DcaseFileNames.recording("tab\tin", "x", true));
        assertEquals("küche/mic 1", DcaseFileNames.recording("küche/mic 1", "x", true));
    }

    @Test
    void scoreTableFilesAreSafeReversibleAndDistinct() {
        List<String> names = List.of("room.1", "room.2", "room", "a.wav", "a.flac", "mic/1", "mic_1", "mic%2F1", ".hidden",
                "..", "küche/mic 1", "a.wav~s2", "a.wav%7Es2", "x:y*z?");
        Set<String> files = new HashSet<>();
        for (String name : names) {
            String file = DcaseFileNames.scoreTableFile(name);
            assertEquals(name, DcaseFileNames.recordingOfScoreTable(file));
            assertEquals(true, file.matches("[A-Za-z0-9._~%-]+\\.tsv") && !file.startsWith("."), file);
            files.add(file);
        }
        assertEquals(names.size(), files.size(), "no two names share a file: " + files);
        assertEquals("room.1.tsv", DcaseFileNames.scoreTableFile("room.1"));
        assertEquals("mic%2F1.tsv", DcaseFileNames.scoreTableFile("mic/1"));
        assertEquals("%2E..tsv", DcaseFileNames.scoreTableFile(".."));
    }
}
