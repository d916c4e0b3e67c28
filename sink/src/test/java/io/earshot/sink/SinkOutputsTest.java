package io.earshot.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.protocol.EnergyReport;
import io.earshot.protocol.SoundEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs on their own, without Kafka. */
class SinkOutputsTest {

    @TempDir
    Path dir;

    @Test
    void consoleLinesShowTimeSourceLabelConfidenceAndDuration() {
        SoundEvent start = Records.start("street-01.wav", "Speech", 197_520, 0.9134);
        SoundEvent end = Records.end("street-01.wav", "Speech", 197_520, 224_000, 0.8777);
        assertEquals("2026-11-18 11:06:52.345  START  street-01.wav  Speech           conf 0.91  at 12.345 s",
                ConsoleEventOutput.format(start));
        assertEquals("2026-11-18 11:06:54.000  END    street-01.wav  Speech           conf 0.88"
                + "  12.345-14.000 s (1.655 s)", ConsoleEventOutput.format(end));
    }

    @Test
    void appendOnlyFileCutsAnInterruptedLastLine() throws IOException {
        Path f = dir.resolve("sub/events.jsonl");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"a\":1}\n{\"b\":2}\n{\"c\":");
        // Existing lines are handed over one by one, not kept: a week of events is larger than the heap.
        List<String> seen = new java.util.ArrayList<>();
        try (AppendOnlyLinesFile file = AppendOnlyLinesFile.open(f, seen::add)) {
            assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), seen);
            assertFalse(file.wasEmpty());
            file.append("{\"d\":4}");
        }
        assertEquals("{\"a\":1}\n{\"b\":2}\n{\"d\":4}\n", Files.readString(f));
    }

    @Test
    void appendOnlyFileReadsLinesAcrossItsReadBuffer() throws IOException {
        Path f = dir.resolve("big.tsv");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) { // ~400 KB: lines straddle the 64 KiB read buffer
            text.append("row-").append(i).append("\tÅ\t").append("x".repeat(i % 7)).append('\n');
        }
        Files.writeString(f, text + "row-cut");
        List<String> seen = new java.util.ArrayList<>();
        try (AppendOnlyLinesFile file = AppendOnlyLinesFile.open(f, seen::add)) {
            file.append("row-new");
        }
        assertEquals(20_000, seen.size());
        for (int i = 0; i < 20_000; i += 997) {
            assertEquals("row-" + i + "\tÅ\t" + "x".repeat(i % 7), seen.get(i));
        }
        assertEquals(text + "row-new\n", Files.readString(f));
    }

    @Test
    void tsvWritesClosedEventsOnceAcrossReopening() throws IOException {
        Path f = dir.resolve("events.tsv");
        try (DcaseTsvEventOutput tsv = new DcaseTsvEventOutput(f)) {
            assertEquals(EventOutput.Outcome.IGNORED, tsv.accept(Records.start("a.wav", "Dog", 16_000, 0.7)));
            assertEquals(EventOutput.Outcome.WRITTEN, tsv.accept(Records.end("a.wav", "Dog", 16_000, 40_000, 0.7)));
            assertEquals(EventOutput.Outcome.DUPLICATE, tsv.accept(Records.end("a.wav", "Dog", 16_000, 40_000, 0.7)));
        }
        try (DcaseTsvEventOutput tsv = new DcaseTsvEventOutput(f)) {
            assertEquals(EventOutput.Outcome.DUPLICATE, tsv.accept(Records.end("a.wav", "Dog", 16_000, 40_000, 0.7)));
            assertEquals(EventOutput.Outcome.WRITTEN, tsv.accept(Records.end("a.wav", "Music", 16_000, 20_000, 0.6)));
        }
        assertEquals("filename\tonset\toffset\tevent_label\n"
                + "a.wav\t1.000000\t2.500000\tDog\n"
                + "a.wav\t1.000000\t1.250000\tMusic\n", Files.readString(f));
    }

    @Test
    void scoreTablesAppendInFrameOrderWithoutRepeatsAndRejectOtherLabels() throws IOException {
        try (ScoreTableOutput out = new ScoreTableOutput(dir)) {
            assertEquals(4, out.accept(Records.scores("kitchen.wav", 0, 4)));
            assertEquals(2, out.accept(Records.scores("kitchen.wav", 2, 4)), "frames 2 and 3 are already there");
        }
        try (ScoreTableOutput out = new ScoreTableOutput(dir)) {
            assertEquals(0, out.accept(Records.scores("kitchen.wav", 0, 6)), "all six present after a restart");
            assertEquals(1, out.accept(Records.scores("kitchen.wav", 6, 1)));
            var other = new io.earshot.protocol.FrameScores("kitchen.wav", "stream-1", 16_000, 7, 384 + 7 * 1024, 1024, 0,
                    List.of("Speech", "Cat"), List.of(new float[] {0.1f, 0.2f}), "m", "1");
            assertThrows(IllegalArgumentException.class, () -> out.accept(other));
            var noHop = new io.earshot.protocol.FrameScores("kitchen.wav", "stream-1", 16_000, 7, 384 + 7 * 1024, 0, 0,
                    Records.LABELS, List.of(Records.row(7)), "m", "1");
            assertThrows(IllegalArgumentException.class, () -> out.accept(noHop), "frames cannot be placed in time");
        }
        List<String> lines = Files.readAllLines(dir.resolve("kitchen.wav.tsv"));
        assertEquals("onset\toffset\tSpeech\tMusic\tDog", lines.get(0));
        assertEquals(8, lines.size());
        for (int f = 0; f < 7; f++) {
            String[] cells = lines.get(f + 1).split("\t");
            assertEquals((384 + 1024.0 * f) / 16_000, Double.parseDouble(cells[0]), 1e-9);
            assertEquals((384 + 1024.0 * (f + 1)) / 16_000, Double.parseDouble(cells[1]), 1e-9);
            float[] expected = Records.row(f);
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], Double.parseDouble(cells[c + 2]), 1e-6);
            }
        }
        assertEquals("kitchen.wav.tsv", ScoreTableOutput.fileName("kitchen.wav"));
        assertEquals("mic%2F1.tsv", ScoreTableOutput.fileName("mic/1"));
        assertEquals("lab.mic-2.flac.tsv", ScoreTableOutput.fileName("lab.mic-2.flac"));
    }

    @Test
    void scoreTablesKeepABoundedNumberOfFilesOpenAndStillAppendExactly() throws IOException {
        // A replayed dataset has thousands of sources; each open table holds a file and a 64 KiB buffer.
        try (ScoreTableOutput out = new ScoreTableOutput(dir, 3, StreamNames.DEFAULT_MAX_SOURCES)) {
            for (int s = 0; s < 10; s++) {
                assertEquals(2, out.accept(Records.scores("clip-" + s + ".wav", 0, 2)));
                assertTrue(out.openTables() <= 3, "open tables: " + out.openTables());
            }
            for (int s = 0; s < 10; s++) { // evicted tables are reopened where they stopped
                assertEquals(1, out.accept(Records.scores("clip-" + s + ".wav", 1, 2)), "frame 1 already written");
                assertTrue(out.openTables() <= 3, "open tables: " + out.openTables());
            }
        }
        for (int s = 0; s < 10; s++) {
            List<String> lines = Files.readAllLines(dir.resolve("clip-" + s + ".wav.tsv"));
            assertEquals(4, lines.size(), "header and frames 0-2 of clip-" + s);
            assertEquals((384 + 1024.0 * 2) / 16_000, Double.parseDouble(lines.get(3).split("\t")[0]), 1e-9);
        }
    }

    @Test
    void aScoreTableWithAnUnreadableLastRowIsNamedInTheError() throws IOException {
        Files.writeString(dir.resolve("hall.wav.tsv"), "onset\toffset\tSpeech\tMusic\tDog\n0.024000\t0.088000\t0.1\t0.2\t0.3\nnot a row\n");
        try (ScoreTableOutput out = new ScoreTableOutput(dir)) {
            IOException e = assertThrows(IOException.class, () -> out.accept(Records.scores("hall.wav", 0, 2)));
            assertTrue(e.getMessage().contains("hall.wav.tsv") && e.getMessage().contains("not a row"), e.getMessage());
            assertEquals(0, out.openTables());
        }
    }

    @Test
    void energyTotalsCountEachReportOnce() {
        EnergyTotals totals = new EnergyTotals();
        EnergyReport a1 = new EnergyReport("det-a", 0, 10_000_000, 3.6e6, 1.0, "rapl", 1800, 10, 7.2e6, 400);
        EnergyReport a2 = new EnergyReport("det-a", 10_000_000, 20_000_000, 1.8e6, 0.5, "rapl", 1800, 10, 3.6e6, 200);
        EnergyReport b1 = new EnergyReport("det-b", 0, 10_000_000, 3.6e6, 1.0, "cpu-model", 3600, 20, 3.6e6, 400);
        assertTrue(totals.add(a1));
        assertTrue(totals.add(a2));
        assertTrue(totals.add(b1));
        assertFalse(totals.add(a1), "the same interval again is not counted");
        EnergyTotals.Summary t = totals.total();
        assertEquals(2, t.instances());
        assertEquals(3, t.reports());
        assertEquals(2.5, t.kwh(), 1e-12);
        assertEquals(2.0, t.audioHours(), 1e-12);
        assertEquals(1.25, t.kwhPerAudioHour(), 1e-12);
        assertEquals(1000, t.gramsCo2e(), 1e-9);
        assertEquals(java.util.Set.of("rapl", "cpu-model"), t.methods());
        assertEquals(1.5, totals.byInstance().get("det-a").kwh(), 1e-12);
    }

    @Test
    void pipelineSkipsBadRecordsAndKeepsTheGoodOnesAround() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter console = new PrintWriter(bytes, true, StandardCharsets.UTF_8);
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        SinkConfig config = SinkConfig.forBootstrap("unused:9092").withConsole(true).withJsonl(dir.resolve("e.jsonl"));
        try (SinkPipeline p = new SinkPipeline(config, console, new SinkMetrics(registry))) {
            byte[] good = io.earshot.protocol.JsonSerde.soundEvents().toBytes(Records.start("s", "Dog", 0, 0.5));
            p.process("earshot.events", "{not json".getBytes(StandardCharsets.UTF_8), "earshot.events-0@0");
            p.process("earshot.events", good, "earshot.events-0@1");
            p.process("earshot.events", "{\"event_id\":\"x\"}".getBytes(StandardCharsets.UTF_8), "earshot.events-0@2");
            p.process("earshot.events", null, "earshot.events-0@3");
        }
        assertEquals(1, Files.readAllLines(dir.resolve("e.jsonl")).size());
        assertEquals(1, bytes.toString(StandardCharsets.UTF_8).lines().count());
        assertEquals(1.0, registry.get("earshot.sink.records.rejected").tag("reason", "invalid_json").counter().count());
        assertEquals(1.0, registry.get("earshot.sink.records.rejected").tag("reason", "invalid_record").counter().count());
        assertEquals(1.0, registry.get("earshot.sink.records.rejected").tag("reason", "null_value").counter().count());
    }

    @Test
    void aSinkWithoutOutputsIsRefusedWithTheFlagsToChoose() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SinkConfig.forBootstrap("localhost:9092").requireAnOutput());
        assertTrue(e.getMessage().contains("--jsonl"), e.getMessage());
    }
}
