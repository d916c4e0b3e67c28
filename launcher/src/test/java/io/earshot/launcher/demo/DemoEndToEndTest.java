package io.earshot.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.launcher.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code earshot demo} end to end, in-process, exactly as a user runs it: real broker, the shipped
 * model, the bundled soundscapes, the evaluation against their ground truth.
 */
class DemoEndToEndTest {

    private static final Path REPO = Path.of(System.getProperty("earshot.repo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    static Path tmp;

    private static int exitCode;
    private static String stdout;
    private static String stderr;
    private static JsonNode report;
    private static Path workDir;

    @BeforeAll
    static void runTheDemo() throws Exception {
        workDir = Files.createDirectories(tmp.resolve("work"));
        Path json = tmp.resolve("demo.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        exitCode = Main.run(new String[] {"demo", "--json", json.toString(), "--work-dir", workDir.toString()},
                Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        stdout = out.toString();
        stderr = err.toString();
        assertEquals(0, exitCode, "demo failed:\n" + stderr);
        report = new ObjectMapper().readTree(json.toFile());
    }

    @Test
    void printsEventsTheEvaluationTheEnergyAndTheThroughput() {
        assertTrue(stdout.contains("== Evaluation"), stdout);
        assertTrue(stdout.contains("PSDS1"), stdout);
        assertTrue(stdout.contains("== Energy"), stdout);
        assertTrue(stdout.contains("== Throughput"), stdout);
    }

    @Test
    void everyReplayedSecondWasAnalysedAndEvaluated() throws Exception {
        List<Double> durations = demoDurations();
        double listed = durations.stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(durations.size(), report.get("files").asInt());
        assertEquals(listed, report.get("duration_seconds").asDouble(), 1e-9);
        JsonNode throughput = report.get("throughput");
        assertEquals(durations.size(), throughput.get("files").asInt());
        assertEquals(listed, throughput.get("audio_seconds").asDouble(), 0.01, "the replay sent every file whole");
        assertTrue(throughput.get("real_time_factor").asDouble() > 1, "faster than real time: " + throughput);
        // The detector's own count of analysed audio, reported through the energy topic, matches the replay.
        JsonNode energy = report.get("energy");
        assertEquals(listed, energy.get("audio_seconds").asDouble(), 0.01, energy.toString());
        assertTrue(energy.get("joules").asDouble() > 0, energy.toString());
        assertTrue(energy.get("inferences").asLong() >= durations.size(), "at least one model window per file: " + energy);
    }

    @Test
    void reportsEveryClassOfTheModelAndExactPsdsFromTheScoreTables() {
        List<String> labels = List.of("Speech", "Music", "Bird", "Animal", "Water", "Vehicle", "Explosion",
                "Footsteps", "Tools", "Scream", "Alarm", "Typing");
        for (String label : labels) {
            assertTrue(report.get("event_based").get("class_wise").has(label), label);
            assertTrue(report.get("segment_based").get("class_wise").has(label), label);
        }
        for (String psds : List.of("psds1", "psds2")) {
            JsonNode node = report.get(psds);
            assertEquals("scores", node.get("source").asText(), node.toString());
            assertTrue(node.get("thresholds").asInt() > 100, "exact PSDS sweeps every score: " + node);
        }
    }

    @Test
    void leavesNoTemporaryData() throws Exception {
        try (Stream<Path> left = Files.list(workDir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    private static List<Double> demoDurations() throws Exception {
        return Files.readAllLines(REPO.resolve("demo/durations.tsv")).stream().skip(1)
                .filter(l -> !l.isBlank()).map(l -> Double.parseDouble(l.split("\t")[1])).toList();
    }
}
