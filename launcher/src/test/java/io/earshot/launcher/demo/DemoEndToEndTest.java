package io.earshot.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.launcher.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        // With --dashboard: while the demo runs, its page and /api/state are fetched from the printed address.
        Thread watcher = new Thread(() -> watchDashboard(out), "dashboard-watcher");
        watcher.setDaemon(true);
        watcher.start();
        exitCode = Main.run(new String[] {"demo", "--json", json.toString(), "--work-dir", workDir.toString(),
                "--dashboard", "--dashboard-port", "0"}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        demoDone = true;
        watcher.join(10_000);
        stdout = out.toString();
        stderr = err.toString();
        assertEquals(0, exitCode, "demo failed:\n" + stderr);
        report = new ObjectMapper().readTree(json.toFile());
    }

    private static volatile boolean demoDone;
    private static volatile String dashboardPage = "";
    private static volatile int dashboardSources;

    private static void watchDashboard(StringWriter out) {
        Pattern address = Pattern.compile("Dashboard: (http://\\S+/)");
        HttpClient http = HttpClient.newHttpClient();
        String base = null;
        while (!demoDone) {
            try {
                if (base == null) {
                    Matcher m = address.matcher(out.toString());
                    if (m.find()) {
                        base = m.group(1);
                        dashboardPage = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                    }
                } else {
                    String state = http.send(HttpRequest.newBuilder(URI.create(base + "api/state"))
                            .build(), HttpResponse.BodyHandlers.ofString()).body();
                    dashboardSources = Math.max(dashboardSources, new ObjectMapper().readTree(state).get("sources").size());
                }
                Thread.sleep(100);
            } catch (IOException e) {
                // the demo is stopping its services
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Test
    void servesTheDashboardDuringTheDemoWithTheReplayedSources() {
        assertTrue(stdout.contains("Dashboard: http://127.0.0.1:"), stdout);
        assertTrue(dashboardPage.contains("<title>Earshot"), "the page: " + dashboardPage);
        assertTrue(dashboardSources >= 4, "sources the dashboard showed during the demo: " + dashboardSources);
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

    /**
     * Floors about 20 % under what the default model (earshot-sed-v2-ens, see training/RESULTS.md) scored
     * on the bundled demo set (20 soundscapes of the cross-source test split, every class at least 3 times):
     * event F1 micro 0.353 / macro 0.286, segment F1 micro 0.573 / macro 0.457, intersection F1 (DTC = GTC
     * = 0.1) micro 0.552, PSDS1 0.0298, PSDS2 0.0873, PSDS1 of Speech 0.695, Explosion 0.216 and Footsteps
     * 0.494, PSDS2 of Speech 0.869 and Music 0.694. The demo is deterministic (time is the sample index;
     * repeated runs give identical numbers), so falling below a floor means the pipeline or the model got
     * worse. The set favours the first model (31 of its 75 events come from files earshot-sed-v1 trained
     * on; v1 scored event F1 micro 0.413 here), and overall PSDS is low on 20 clips: some classes have no
     * true positive (Vehicle, Tools, Alarm, Typing) and alpha_st penalises the spread across classes; the
     * per-class values show that the score tables rank frames sensibly.
     */
    @Test
    void detectsWellEnoughToStayAboveTheMeasuredFloor() {
        assertAtLeast(0.28, report.at("/event_based/micro/f1"), "event F1 micro");
        assertAtLeast(0.23, report.at("/event_based/macro/f1"), "event F1 macro");
        assertAtLeast(0.46, report.at("/segment_based/micro/f1"), "segment F1 micro");
        assertAtLeast(0.37, report.at("/segment_based/macro/f1"), "segment F1 macro");
        assertAtLeast(0.44, report.at("/intersection_f1/dtc0.1_gtc0.1/micro/f1"), "intersection F1 micro");
        assertAtLeast(0.024, report.at("/psds1/value"), "PSDS1");
        assertAtLeast(0.070, report.at("/psds2/value"), "PSDS2");
        assertAtLeast(0.56, report.at("/psds1/single_class/Speech"), "PSDS1 Speech");
        assertAtLeast(0.17, report.at("/psds1/single_class/Explosion"), "PSDS1 Explosion");
        assertAtLeast(0.40, report.at("/psds1/single_class/Footsteps"), "PSDS1 Footsteps");
        assertAtLeast(0.70, report.at("/psds2/single_class/Speech"), "PSDS2 Speech");
        assertAtLeast(0.56, report.at("/psds2/single_class/Music"), "PSDS2 Music");
    }

    private static void assertAtLeast(double floor, JsonNode value, String what) {
        assertTrue(value.isNumber(), what + " missing from the report: " + value);
        assertTrue(value.asDouble() >= floor, what + " = " + value.asDouble() + " fell below its floor " + floor);
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
