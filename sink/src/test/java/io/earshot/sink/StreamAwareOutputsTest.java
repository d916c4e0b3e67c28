package io.earshot.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.evaluation.io.DcaseFileNames;
import io.earshot.protocol.SoundEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs keyed by stream: a second stream of a source (the same file replayed, a new mic stream) keeps
 * every row, under its own DCASE file name, and nothing of either stream is written twice.
 */
class StreamAwareOutputsTest {

    @TempDir
    Path dir;

    @Test
    void aSecondStreamOfTheSameSourceKeepsEveryRowUnderItsOwnName() throws IOException {
        Path f = dir.resolve("events.tsv");
        // The same recording twice: identical labels and onsets, different stream ids.
        try (DcaseTsvEventOutput tsv = new DcaseTsvEventOutput(f)) {
            for (String stream : List.of("s1", "s2")) {
                assertEquals(EventOutput.Outcome.WRITTEN, tsv.accept(Records.end("a.wav", stream, "Dog", 16_000, 40_000, 0.7)));
                assertEquals(EventOutput.Outcome.WRITTEN, tsv.accept(Records.end("a.wav", stream, "Dog", 64_000, 80_000, 0.7)));
            }
        }
        try (DcaseTsvEventOutput tsv = new DcaseTsvEventOutput(f)) { // restarted: both streams known again
            for (String stream : List.of("s2", "s1")) {
                assertEquals(EventOutput.Outcome.DUPLICATE, tsv.accept(Records.end("a.wav", stream, "Dog", 64_000, 80_000, 0.7)));
            }
            assertEquals(EventOutput.Outcome.WRITTEN, tsv.accept(Records.end("a.wav", "s3", "Dog", 16_000, 40_000, 0.7)));
        }
        assertEquals(List.of("filename\tonset\toffset\tevent_label",
                "a.wav\t1.000000\t2.500000\tDog", "a.wav\t4.000000\t5.000000\tDog",
                "a.wav~s2\t1.000000\t2.500000\tDog", "a.wav~s2\t4.000000\t5.000000\tDog",
                "a.wav~s3\t1.000000\t2.500000\tDog"), Files.readAllLines(f));
        assertEquals(3, Files.readAllLines(DcaseTsvEventOutput.indexFor(f)).size());
    }

    @Test
    void jsonLinesDeduplicateByEventIdSoBothStreamsStay() throws IOException {
        Path f = dir.resolve("events.jsonl");
        try (JsonLinesEventOutput out = new JsonLinesEventOutput(f)) {
            for (String stream : List.of("s1", "s2")) {
                assertEquals(EventOutput.Outcome.WRITTEN, out.accept(Records.start("a.wav", stream, "Dog", 16_000, 0.7)));
                assertEquals(EventOutput.Outcome.WRITTEN, out.accept(Records.end("a.wav", stream, "Dog", 16_000, 40_000, 0.7)));
            }
        }
        try (JsonLinesEventOutput out = new JsonLinesEventOutput(f)) {
            assertEquals(EventOutput.Outcome.DUPLICATE, out.accept(Records.end("a.wav", "s2", "Dog", 16_000, 40_000, 0.7)));
            assertEquals(EventOutput.Outcome.DUPLICATE, out.accept(Records.start("a.wav", "s1", "Dog", 16_000, 0.7)));
        }
        assertEquals(4, Files.readAllLines(f).size());
    }

    @Test
    void scoreTablesGetOneFilePerStreamAndNamesThatCannotCollide() throws IOException {
        try (ScoreTableOutput out = new ScoreTableOutput(dir)) {
            assertEquals(4, out.accept(Records.scores("a.wav", "s1", 0, 4)));
            assertEquals(4, out.accept(Records.scores("a.wav", "s2", 0, 4)), "the second stream starts at frame 0 again");
            // room.1 and room.2 shared room.tsv when the extension was cut off
            assertEquals(2, out.accept(Records.scores("room.1", "m1", 0, 2)));
            assertEquals(2, out.accept(Records.scores("room.2", "m1", 0, 2)));
            // a source whose id looks like another source's second stream
            assertEquals(3, out.accept(Records.scores("a.wav~s2", "x", 0, 3)));
        }
        try (ScoreTableOutput out = new ScoreTableOutput(dir)) {
            assertEquals(0, out.accept(Records.scores("a.wav", "s2", 0, 4)));
            assertEquals(1, out.accept(Records.scores("a.wav", "s1", 3, 2)));
        }
        assertEquals(6, Files.readAllLines(dir.resolve("a.wav.tsv")).size());
        assertEquals(5, Files.readAllLines(dir.resolve("a.wav~s2.tsv")).size());
        assertEquals(3, Files.readAllLines(dir.resolve("room.1.tsv")).size());
        assertEquals(3, Files.readAllLines(dir.resolve("room.2.tsv")).size());
        assertEquals(4, Files.readAllLines(dir.resolve("a.wav%257Es2.tsv")).size());
        assertEquals("a.wav%7Es2", DcaseFileNames.recordingOfScoreTable("a.wav%257Es2.tsv"));
    }

    @Test
    void memoryStaysBoundedWhileThousandsOfSourcesComeAndGo() throws IOException {
        EventDedupe.Limits limits = new EventDedupe.Limits(20, 160, 16);
        int sources = 150;
        Path tsvPath = dir.resolve("events.tsv");
        Path jsonlPath = dir.resolve("events.jsonl");
        try (DcaseTsvEventOutput tsv = new DcaseTsvEventOutput(tsvPath, limits, 20);
             JsonLinesEventOutput jsonl = new JsonLinesEventOutput(jsonlPath, limits);
             ScoreTableOutput scores = new ScoreTableOutput(dir.resolve("scores"), 8, 20)) {
            for (int s = 0; s < sources; s++) {
                String source = "mic-" + s;
                for (int e = 0; e < 3; e++) {
                    SoundEvent end = Records.end(source, "day-" + (s % 7), "Speech", 16_000L * e, 16_000L * e + 8_000, 0.8);
                    assertEquals(EventOutput.Outcome.WRITTEN, tsv.accept(end));
                    assertEquals(EventOutput.Outcome.WRITTEN, jsonl.accept(end));
                }
                assertEquals(2, scores.accept(Records.scores(source, "day-" + (s % 7), 0, 2)));
                assertTrue(tsv.dedupe().streamsHeld() <= 20 && tsv.dedupe().idsHeld() <= 160, "tsv dedupe bounded");
                assertTrue(jsonl.dedupe().streamsHeld() <= 20 && jsonl.dedupe().idsHeld() <= 160, "jsonl dedupe bounded");
                assertTrue(tsv.names().sourcesHeld() <= 20 && scores.names().sourcesHeld() <= 20, "names bounded");
                assertTrue(scores.openTables() <= 8);
            }
            // No brand-new source was looked up in a file: the filters told them apart.
            assertEquals(0, tsv.dedupe().rescans());
            assertEquals(0, tsv.names().lookups());
            // Sources long let go send their records again (a sink re-reading the topic): still exact.
            for (int s = 0; s < sources; s += 13) {
                SoundEvent end = Records.end("mic-" + s, "day-" + (s % 7), "Speech", 16_000L, 24_000, 0.8);
                assertEquals(EventOutput.Outcome.DUPLICATE, tsv.accept(end));
                assertEquals(EventOutput.Outcome.DUPLICATE, jsonl.accept(end));
                assertEquals(0, scores.accept(Records.scores("mic-" + s, "day-" + (s % 7), 0, 2)));
            }
            assertTrue(tsv.dedupe().rescans() > 0, "old streams were looked up in the file");
        }
        assertEquals(1 + 3 * sources, Files.readAllLines(tsvPath).size());
        assertEquals(3 * sources, Files.readAllLines(jsonlPath).size());
    }

    @Test
    void aWeeksLongStreamKeepsOnlyItsLatestIdsAndStillRefusesOldOnes() throws IOException {
        EventDedupe.Limits limits = new EventDedupe.Limits(10, 1_000, 64);
        Path f = dir.resolve("long.jsonl");
        try (JsonLinesEventOutput out = new JsonLinesEventOutput(f, limits)) {
            for (int e = 0; e < 5_000; e++) {
                String label = Records.LABELS.get(e % 3);
                assertEquals(EventOutput.Outcome.WRITTEN, out.accept(Records.start("mic", "week", label, 8_000L * e, 0.6)));
                assertEquals(EventOutput.Outcome.WRITTEN, out.accept(Records.end("mic", "week", label, 8_000L * e, 8_000L * e + 4_000, 0.6)));
                assertTrue(out.dedupe().idsHeld() <= 64);
            }
            for (int e = 0; e < 5_000; e += 13) { // early and late records again: all recognised
                String label = Records.LABELS.get(e % 3);
                assertEquals(EventOutput.Outcome.DUPLICATE, out.accept(Records.end("mic", "week", label, 8_000L * e, 8_000L * e + 4_000, 0.6)));
            }
        }
        assertEquals(10_000, Files.readAllLines(f).size());
    }
}
