package io.earshot.dashboard;

import io.earshot.broker.EmbeddedKafkaBroker;
import io.earshot.protocol.EventIds;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.SourceLevels;
import io.earshot.protocol.TopicCreation;
import io.earshot.protocol.Topics;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Not a test (surefire runs *Test classes only): 100 live sources into a real broker at the detector's
 * rates (levels every 256 ms, a score block every second, an event start or end every ~100 ms in all),
 * the dashboard reading them and a headless Chromium showing them. Prints what one browser receives
 * (messages and bytes per second), the page's render time per frame, and how long after being written
 * to Kafka each event reached the page. Run:
 * <pre>
 * mvn -B -ntp -q -pl dashboard -am test-compile
 * java -cp "dashboard/target/test-classes:dashboard/target/classes:$(cat cp.txt)" io.earshot.dashboard.DashboardHundredSourcesBench
 * </pre>
 * (cp.txt from {@code mvn -pl dashboard dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}).
 */
public final class DashboardHundredSourcesBench {

    private static final int SOURCES = 100;
    private static final int SECONDS = 60;
    private static final List<String> LABELS = List.of("Speech", "Music", "Bird", "Animal", "Water", "Vehicle",
            "Explosion", "Footsteps", "Tools", "Scream", "Alarm", "Typing");

    private DashboardHundredSourcesBench() {
    }

    public static void main(String[] args) throws Exception {
        Topics topics = Topics.defaults();
        Path profile = Files.createTempDirectory("bench-chromium");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            Properties kafka = new Properties();
            kafka.put("bootstrap.servers", broker.bootstrapServers());
            Map<String, Integer> partitions = new LinkedHashMap<>();
            for (String t : List.of(topics.audio(), topics.events(), topics.scores(), topics.levels(), topics.energy())) {
                partitions.put(t, 4);
            }
            TopicCreation.createMissing(kafka, partitions);
            try (DashboardService dashboard = DashboardService.start(DashboardConfig.defaults(kafka, topics).withPort(0));
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                         new ByteArraySerializer())) {
                ChromeOptions options = new ChromeOptions();
                options.setBinary(new File("/usr/bin/chromium"));
                options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + profile, "--window-size=1440,1180");
                ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
                try {
                    browser.get(dashboard.uri() + "");
                    run(producer, topics, browser);
                } finally {
                    browser.quit();
                }
            }
        }
    }

    private static void run(KafkaProducer<String, byte[]> producer, Topics topics, ChromeDriver browser) throws Exception {
        Random rng = new Random(1);
        long t0 = System.currentTimeMillis();
        long captureZeroMicros = t0 * 1000;
        Map<String, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Long> shownAt = new HashMap<>();
        Map<Integer, Long> openEvent = new HashMap<>();
        long levelsSent = 0;
        long recordsBytes = 0;
        for (long tick = 0; ; tick++) {
            long due = t0 + tick * 256;
            long now = System.currentTimeMillis();
            if (now - t0 > SECONDS * 1000L) {
                break;
            }
            if (due > now) {
                Thread.sleep(due - now);
            }
            long start = tick * 4096;
            for (int s = 0; s < SOURCES; s++) {
                String source = String.format("mic-%03d", s);
                List<int[]> cols = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    int[] bands = new int[32];
                    for (int b = 0; b < 32; b++) {
                        bands[b] = -100 + rng.nextInt(70);
                    }
                    cols.add(bands);
                }
                double rms = -60 + 40 * rng.nextDouble();
                byte[] v = JsonSerde.sourceLevels().toBytes(new SourceLevels(source, "s1", 16000, start, start + 4096,
                        captureZeroMicros + start * 1000 / 16, Math.round(rms * 10) / 10.0, Math.round((rms + 8) * 10) / 10.0,
                        1024, 50, 8000, cols));
                recordsBytes += v.length;
                producer.send(new ProducerRecord<>(topics.levels(), source, v));
                levelsSent++;
                if (tick % 4 == s % 4) {
                    List<float[]> rows = new ArrayList<>();
                    for (int f = 0; f < 16; f++) {
                        float[] row = new float[LABELS.size()];
                        for (int l = 0; l < row.length; l++) {
                            row[l] = rng.nextFloat();
                        }
                        rows.add(row);
                    }
                    byte[] sv = JsonSerde.frameScores().toBytes(new FrameScores(source, "s1", 16000, tick, 384 + 1024 * tick,
                            1024, captureZeroMicros, LABELS, rows, "earshot-sed", "1"));
                    recordsBytes += sv.length;
                    producer.send(new ProducerRecord<>(topics.scores(), source, sv));
                }
            }
            // About 10 event records a second over all sources: starts, and ends of what is open.
            for (int e = 0; e < 3; e++) {
                int s = rng.nextInt(SOURCES);
                String source = String.format("mic-%03d", s);
                String label = LABELS.get(s % LABELS.size());
                Long onset = openEvent.remove(s);
                SoundEvent ev;
                if (onset == null) {
                    openEvent.put(s, start);
                    ev = new SoundEvent(EventIds.of(source, "s1", label, start), source, "s1", label, SoundEvent.State.START,
                            start, null, 16000, start / 16000.0, null, captureZeroMicros + start * 1000 / 16, null, 0.8,
                            "earshot-sed", "1");
                } else {
                    ev = new SoundEvent(EventIds.of(source, "s1", label, onset), source, "s1", label, SoundEvent.State.END,
                            onset, start, 16000, onset / 16000.0, start / 16000.0, captureZeroMicros + onset * 1000 / 16,
                            captureZeroMicros + start * 1000 / 16, 0.8, "earshot-sed", "1");
                }
                String key = ev.eventId() + "/" + (ev.state() == SoundEvent.State.START ? "start" : "end");
                producer.send(new ProducerRecord<>(topics.events(), source, JsonSerde.soundEvents().toBytes(ev)),
                        (meta, error) -> sentAt.put(key, System.currentTimeMillis()));
            }
            if (tick == 8) {
                ((JavascriptExecutor) browser).executeScript(
                        "document.querySelector(\"#sources tr[data-source='mic-007']\").click();");
            }
            if (tick % 2 == 1) {
                continue;
            }
            long seen = System.currentTimeMillis();
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) ((JavascriptExecutor) browser).executeScript(
                    "return Array.from(document.querySelectorAll('#timeline li')).map(li => li.dataset.eventId + '/' + li.dataset.state);");
            for (String id : ids) {
                shownAt.putIfAbsent(id, seen);
            }
        }
        Thread.sleep(2000);
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
                "return window.earshotRenderStats;");
        long rows = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelectorAll('#sources tr[data-source]').length;");
        long[] delays = sentAt.entrySet().stream().filter(e -> shownAt.containsKey(e.getKey()))
                .mapToLong(e -> shownAt.get(e.getKey()) - e.getValue()).sorted().toArray();
        double secs = (System.currentTimeMillis() - t0) / 1000.0;
        System.out.printf("%d sources for %.0f s: %d levels records (%.0f/s), %.0f KB/s of records into Kafka%n", SOURCES,
                secs, levelsSent, levelsSent / secs, recordsBytes / 1024.0 / secs);
        System.out.printf("browser: %d source rows; %s update messages (%.1f/s), %.1f KB/s of SSE data%n", rows,
                stats.get("messages"), ((Number) stats.get("messages")).doubleValue() / secs,
                ((Number) stats.get("bytes")).doubleValue() / 1024 / secs);
        double frames = ((Number) stats.get("frames")).doubleValue();
        System.out.printf("render: %.0f frames, mean %.2f ms, max %.1f ms%n", frames,
                ((Number) stats.get("totalMs")).doubleValue() / frames, ((Number) stats.get("maxMs")).doubleValue());
        System.out.printf("events: %d of %d shown; written -> on the page (page polled every 512 ms): p50 %d ms, p95 %d ms, max %d ms%n",
                delays.length, sentAt.size(), delays.length > 0 ? delays[delays.length / 2] : -1,
                delays.length > 0 ? delays[(int) (delays.length * 0.95)] : -1,
                delays.length > 0 ? delays[delays.length - 1] : -1);
    }
}
