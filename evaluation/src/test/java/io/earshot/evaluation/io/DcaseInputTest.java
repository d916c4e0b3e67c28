package io.earshot.evaluation.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading DCASE files: accepted variants, and an error naming file and line for each kind of bad input. */
class DcaseInputTest {

    private static EventTable events(String... lines) {
        return EventListReader.parse("det.tsv", List.of(lines));
    }

    private static void assertError(String expectedStart, Runnable action) {
        DcaseInputException e = assertThrows(DcaseInputException.class, action::run);
        assertTrue(e.getMessage().startsWith(expectedStart), "message: " + e.getMessage());
    }

    @Test
    void readsEventsWithAndWithoutHeaderKeepingOrder() {
        EventTable withHeader = events("filename\tonset\toffset\tevent_label", "b.wav\t1.5\t2.0\tDog",
                "a.wav\t0\t1\tCat", "b.wav\t0.25\t0.5\tCat");
        EventTable bare = events("b.wav\t1.5\t2.0\tDog", "a.wav\t0\t1\tCat", "b.wav\t0.25\t0.5\tCat");
        for (EventTable t : List.of(withHeader, bare)) {
            assertEquals(List.of("b.wav", "a.wav"), List.copyOf(t.files()));
            assertEquals(3, t.size());
            Event first = t.eventsOf("b.wav").get(0);
            assertEquals(1.5, first.onset());
            assertEquals(2.0, first.offset());
            assertEquals("Dog", first.label());
            assertEquals(0.25, t.eventsOf("b.wav").get(1).onset());
        }
        assertEquals("det.tsv:2", withHeader.eventsOf("b.wav").get(0).origin());
        assertEquals("det.tsv:1", bare.eventsOf("b.wav").get(0).origin());
    }

    @Test
    void headerNamesDecideTheColumnOrder() {
        EventTable t = events("event_label\tfilename\toffset\tonset\tconfidence", "Dog\ta.wav\t3\t1\t0.9");
        Event e = t.eventsOf("a.wav").get(0);
        assertEquals(1.0, e.onset());
        assertEquals(3.0, e.offset());
        assertEquals("Dog", e.label());
    }

    @Test
    void emptyFileHeaderOnlyBlankLinesAndFileOnlyRowsAreAccepted() {
        assertTrue(events().isEmpty());
        assertTrue(events("filename\tonset\toffset\tevent_label").isEmpty());
        EventTable t = events("", "a.wav\t0\t1\tDog", "   ", "c.wav", "a.wav\t2\t3\tDog\t");
        assertEquals(2, t.size());
        assertEquals(List.of("a.wav", "c.wav"), List.copyOf(t.files()));
        assertTrue(t.eventsOf("c.wav").isEmpty());
    }

    @Test
    void malformedEventRowsNameFileAndLine() {
        assertError("det.tsv:2: expected 4 tab-separated columns",
                () -> events("a.wav\t0\t1\tDog", "a.wav\t0\t1"));
        assertError("det.tsv:1: onset 'abc' is not a number", () -> events("a.wav\tabc\t1\tDog"));
        assertError("det.tsv:1: offset 'NaN' is not a number", () -> events("a.wav\t0\tNaN\tDog"));
        assertError("det.tsv:1: offset '1e999' is out of range", () -> events("a.wav\t0\t1e999\tDog"));
        assertError("det.tsv:3: onset 2.5 is after offset 2.0",
                () -> events("filename\tonset\toffset\tevent_label", "a.wav\t0\t1\tDog", "a.wav\t2.5\t2.0\tDog"));
        assertError("det.tsv:1: negative onset -0.5", () -> events("a.wav\t-0.5\t1\tDog"));
        assertError("det.tsv:1: missing event_label", () -> events("a.wav\t0\t1\t \t0.9"));
        assertError("det.tsv:1: expected 4 tab-separated columns", () -> events("a.wav\t0\t1\t\t"));
        assertError("det.tsv:1: header has no 'offset' column", () -> events("filename\tonset\tend\tevent_label"));
        assertError("det.tsv:1: missing onset", () -> events("a.wav\t\t1\tDog"));
    }

    @Test
    void spacesAreNotSeparators() {
        assertError("det.tsv:1: expected 4 tab-separated columns", () -> events("a.wav 0 1 Dog"));
    }

    @Test
    void durationsAcceptHeaderAndRejectBadValues() {
        Durations d = Durations.parse("dur.tsv", List.of("filename\tduration", "a.wav\t10.0", "b.wav\t9.5"));
        assertEquals(List.of("a.wav", "b.wav"), List.copyOf(d.files()));
        assertEquals(19.5, d.total());
        assertEquals(9.5, Durations.parse("dur.tsv", List.of("b.wav\t9.5")).of("b.wav"));
        assertError("dur.tsv:2: negative duration -1.0 for b.wav",
                () -> Durations.parse("dur.tsv", List.of("a.wav\t10", "b.wav\t-1")));
        assertError("dur.tsv:1: zero duration for a.wav", () -> Durations.parse("dur.tsv", List.of("a.wav\t0")));
        assertError("dur.tsv:2: file a.wav is listed twice",
                () -> Durations.parse("dur.tsv", List.of("a.wav\t10", "a.wav\t10")));
        assertError("dur.tsv:1: expected 2 tab-separated columns",
                () -> Durations.parse("dur.tsv", List.of("a.wav")));
        assertError("dur.tsv:1: duration 'ten' is not a number",
                () -> Durations.parse("dur.tsv", List.of("a.wav\tten")));
        assertError("dur.tsv: no files listed", () -> Durations.parse("dur.tsv", List.of("filename\tduration")));
    }

    @Test
    void referenceRejectsUnknownFilesAndLabels() {
        Durations d = Durations.parse("dur.tsv", List.of("a.wav\t10", "b.wav\t10"));
        EventTable gt = EventListReader.parse("gt.tsv", List.of("a.wav\t1\t2\tDog", "b.wav\t3\t4\tCat"));
        Reference ref = new Reference(gt, d);
        assertEquals(List.of("Cat", "Dog"), ref.classes());
        assertError("det.tsv:2: file 'z.wav' is not listed in dur.tsv",
                () -> ref.requireKnown(events("a.wav\t1\t2\tDog", "z.wav\t1\t2\tDog")));
        assertError("det.tsv:1: unknown event label 'Bird' (classes: Cat, Dog)",
                () -> ref.requireKnown(events("a.wav\t1\t2\tBird")));
        assertError("gt.tsv:1: file 'a.wav' is not listed in dur.tsv",
                () -> new Reference(gt, Durations.parse("dur.tsv", List.of("b.wav\t10"))));
        assertError("gt.tsv:1: unknown event label 'Dog'", () -> new Reference(gt, d, List.of("Cat")));
        assertEquals(List.of("Dog", "Cat", "Bird"), new Reference(gt, d, List.of("Dog", "Cat", "Bird")).classes());
    }

    @Test
    void sameClassOverlapIsRefusedTouchingIsNot() {
        events("a.wav\t0\t1\tDog", "a.wav\t1\t2\tDog", "a.wav\t0.5\t1.5\tCat").requireNoSameClassOverlap();
        assertError("det.tsv:1 and det.tsv:3: overlapping 'Dog' events in file a.wav",
                () -> events("a.wav\t0\t5\tDog", "a.wav\t6\t7\tDog", "a.wav\t4\t4.5\tDog")
                        .requireNoSameClassOverlap());
        assertError("det.tsv:1 and det.tsv:2: overlapping 'Dog' events",
                () -> events("a.wav\t0\t1\tDog", "a.wav\t0\t1\tDog").requireNoSameClassOverlap());
        events("a.wav\t0\t5\tDog", "b.wav\t1\t2\tDog").requireNoSameClassOverlap();
    }

    @Test
    void scoreTablesAreCheckedColumnByColumnAndFrameByFrame(@TempDir Path dir) throws IOException {
        Durations d = Durations.parse("dur.tsv", List.of("a.wav\t1.0", "clip.b.wav\t1.0", "my clip.wav\t1"));
        List<String> classes = List.of("Cat", "Dog");
        Files.write(dir.resolve("a.tsv"), List.of("onset\toffset\tDog\tCat", "0.0\t0.5\t0.9\t0.1", "0.5\t1.0\t0.2\t0.7"));
        Files.write(dir.resolve("clip.b.tsv"), List.of("onset\toffset\tCat\tDog", "0\t1\t0.3\t0.4"));
        Files.write(dir.resolve("my_clip.tsv"), List.of("onset\toffset\tCat\tDog", "0\t1\t0.3\t0.4"));
        var tables = ScoreTableReader.readDirectory(dir, d, classes);
        assertEquals(2, tables.get("a.wav").frames());
        assertEquals(0.7, tables.get("a.wav").score("Cat", 1));
        assertEquals(0.9, tables.get("a.wav").score("Dog", 0));
        assertEquals(0.4, tables.get("my clip.wav").score("Dog", 0), "found under the sink's safe name");
        assertEquals(List.of(new Event("a.wav", 0.0, 0.5, "Dog"), new Event("a.wav", 0.5, 1.0, "Cat")),
                tables.get("a.wav").eventsAbove(0.5));

        Path missing = dir.resolve("other");
        Files.createDirectory(missing);
        Files.copy(dir.resolve("a.tsv"), missing.resolve("a.tsv"));
        Files.copy(dir.resolve("my_clip.tsv"), missing.resolve("my_clip.tsv"));
        assertError(missing.resolve("clip.b.wav.tsv") + ": missing score file for clip.b.wav (listed in dur.tsv)",
                () -> ScoreTableReader.readDirectory(missing, d, classes));
        // Earshot's own name for it (the sink's: nothing cut off) is found too.
        Files.write(missing.resolve("clip.b.wav.tsv"), List.of("onset\toffset\tCat\tDog", "0\t1\t0.5\t0.6"));
        assertEquals(0.6, ScoreTableReader.readDirectory(missing, d, classes).get("clip.b.wav").score("Dog", 0));
        Files.write(dir.resolve("stray.tsv"), List.of("onset\toffset\tCat\tDog", "0\t1\t0\t0"));
        assertError(dir.resolve("stray.tsv") + ": score file for an audio file that is not listed in dur.tsv",
                () -> ScoreTableReader.readDirectory(dir, d, classes));

        assertError("s.tsv:1: unknown class column 'Bird'",
                () -> ScoreTableReader.parse("s.tsv", List.of("onset\toffset\tCat\tDog\tBird"), "a.wav", classes));
        assertError("s.tsv:1: missing class column 'Dog'",
                () -> ScoreTableReader.parse("s.tsv", List.of("onset\toffset\tCat", "0\t1\t0.5"), "a.wav", classes));
        assertError("s.tsv:1: header must start with onset, offset",
                () -> ScoreTableReader.parse("s.tsv", List.of("Cat\tDog", "0.1\t0.2"), "a.wav", classes));
        assertError("s.tsv:3: frame starts at 0.6 but the previous frame ended at 0.5",
                () -> ScoreTableReader.parse("s.tsv", List.of("onset\toffset\tCat\tDog", "0\t0.5\t0\t0",
                        "0.6\t1\t0\t0"), "a.wav", classes));
        assertError("s.tsv:2: score of Dog 'x' is not a number",
                () -> ScoreTableReader.parse("s.tsv", List.of("onset\toffset\tCat\tDog", "0\t0.5\t0\tx"), "a.wav",
                        classes));
        assertError("s.tsv:2: expected 4 columns like the header, found 3",
                () -> ScoreTableReader.parse("s.tsv", List.of("onset\toffset\tCat\tDog", "0\t0.5\t0"), "a.wav",
                        classes));
        assertError("s.tsv:1: score table has no frames",
                () -> ScoreTableReader.parse("s.tsv", List.of("onset\toffset\tCat\tDog"), "a.wav", classes));
        assertError("s.tsv:2: frame onset 0.5 is not before its offset 0.5",
                () -> ScoreTableReader.parse("s.tsv", List.of("onset\toffset\tCat\tDog", "0.5\t0.5\t0\t0"), "a.wav",
                        classes));
    }

    @Test
    void thresholdingJoinsContiguousFramesAboveTheThresholdOnly() {
        double[] on = {0, 1, 2, 3, 4};
        double[] off = {1, 2, 3, 4, 5};
        ScoreTable t = new ScoreTable("a.wav", on, off, List.of("Dog"), new double[][] {{0.6, 0.7, 0.5, 0.9, 0.8}});
        assertEquals(List.of(new Event("a.wav", 0, 2, "Dog"), new Event("a.wav", 3, 5, "Dog")), t.eventsAbove(0.5));
        assertEquals(List.of(new Event("a.wav", 0, 5, "Dog")), t.eventsAbove(0.49));
        assertTrue(t.eventsAbove(0.9).isEmpty(), "score must exceed the threshold");
        assertEquals("a", ScoreTableReader.stem("a.wav"));
        assertEquals("clip.b", ScoreTableReader.stem("clip.b.wav"));
        assertEquals("noext", ScoreTableReader.stem("noext"));
        assertEquals("street_01", ScoreTableReader.safeStem("street 01.wav"));
        assertEquals("audio_a_b", ScoreTableReader.safeStem("audio/a:b.flac"));
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        assertError(dir.resolve("nope.tsv") + ": file not found", () -> EventListReader.read(dir.resolve("nope.tsv")));
    }
}
