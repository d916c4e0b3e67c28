package io.earshot.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.detector.DetectorConfig;
import io.earshot.detector.DetectorService;
import io.earshot.ingest.replay.Pacing;
import io.earshot.ingest.replay.ReplayConfig;
import io.earshot.ingest.replay.ReplayJob;
import io.earshot.ingest.replay.ReplaySummary;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.TopicCreation;
import io.earshot.protocol.Topics;
import io.earshot.telemetry.EnergyConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium while demo soundscapes are replayed in real time through the
 * real in-process broker and the real detector: every event record the detector commits shows up on the
 * page within a few seconds, the selected source's top-k list and level meter move, the spectrogram fills
 * and the health tiles read real numbers. Saves a screenshot (target/dashboard.png, and the path in the
 * system property earshot.dashboard.screenshot when set: that is how docs/dashboard.png is made).
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path REPO = Path.of(System.getProperty("earshot.repo.root", ".."));
    private static final String APP_ID = "dashboard-test-detector";
    private static final int SOURCES = 8;
    /** How long after Kafka makes an event record readable the page must show it. */
    private static final long MAX_EVENT_DELAY_MS = 5_000;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path tmp;

    private static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String why = "headless Chromium is needed: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + "; CI=true, so this test must run");
            }
            Assumptions.abort(why + "; skipped because CI is not set");
        }
    }

    private static ChromeDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1440,1180");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    void eventsLevelsTopClassesAndSpectrogramReachTheBrowserWhileAudioIsReplayed() throws Exception {
        requireChromium();
        Path model = REPO.resolve("models").resolve("earshot-sed-v1.onnx");
        List<Path> audio;
        try (Stream<Path> files = Files.list(REPO.resolve("demo").resolve("audio"))) {
            audio = files.filter(p -> p.toString().endsWith(".wav")).sorted().limit(SOURCES).toList();
        }
        assertEquals(SOURCES, audio.size(), "demo/audio holds the soundscapes");
        Topics topics = Topics.defaults();
        Properties kafka = KAFKA.clientProperties();
        createTopics(kafka, topics);
        DetectorConfig detectorConfig = DetectorConfig.builder(kafka).topics(topics).model(model)
                .applicationId(APP_ID).stateDir(tmp.resolve("streams"))
                // Short windows: scores every second of audio, so the top-k list moves while we watch.
                .windowSeconds(2.0).hopSeconds(1.0)
                .energy(EnergyConfig.defaults("dashboard-test").withReportInterval(Duration.ofSeconds(2)))
                .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DetectorService detector = DetectorService.start(detectorConfig, registry);
             DashboardService dashboard = DashboardService.start(DashboardConfig.defaults(kafka, topics)
                     .withPort(0).withDetectorGroupId(APP_ID));
             EventWatcher kafkaEvents = new EventWatcher(kafka, topics.events())) {
            assertTrue(detector.awaitRunning(Duration.ofSeconds(60)), "detector running");
            ChromeDriver browser = chromium(tmp.resolve("chromium-profile"));
            try {
                browser.get(dashboard.uri().toString());
                waitFor(Duration.ofSeconds(20), "the page connects to /stream",
                        () -> browser.findElement(By.id("connection")).getText().equals("connected"));

                ReplayConfig replay = ReplayConfig.of(audio).withPacing(Pacing.realTime()).withChunkMillis(100)
                        .withParallelSources(SOURCES);
                CompletableFuture<ReplaySummary> replaying = CompletableFuture.supplyAsync(
                        () -> new ReplayJob(replay, kafka, topics, registry).run());

                // Watch the page while the audio plays, with the first soundscape's row clicked.
                String selected = audio.get(0).getFileName().toString();
                By row = By.cssSelector("#sources tr[data-source='" + selected + "']");
                waitFor(Duration.ofSeconds(30), "the row of " + selected + " appears",
                        () -> !browser.findElements(row).isEmpty());
                browser.findElement(row).click();
                waitFor(Duration.ofSeconds(5), "the detail shows " + selected,
                        () -> browser.findElement(By.id("detail-title")).getText().equals(selected));
                Map<String, Long> seenOnPage = new LinkedHashMap<>();
                Set<String> topKStates = new TreeSet<>();
                Set<String> meterReadings = new TreeSet<>();
                Set<String> meterWidths = new TreeSet<>();
                // The machine may be slow: the detector's progress, not a fixed time, says when all is in.
                long end = System.currentTimeMillis() + 240_000;
                boolean screenshotTaken = false;
                long caughtUpAt = 0;
                while (System.currentTimeMillis() < end) {
                    long now = System.currentTimeMillis();
                    // The page stamps each row with the time it showed it (same machine, same clock), so a
                    // slow poll here does not count as the page's delay.
                    for (String entry : pageEventIds(browser)) {
                        int at = entry.lastIndexOf('=');
                        seenOnPage.putIfAbsent(entry.substring(0, at), Long.parseLong(entry.substring(at + 1)));
                    }
                    Map<String, Object> detail = detail(browser);
                    if (!"".equals(detail.get("topk"))) {
                        topKStates.add((String) detail.get("topk"));
                    }
                    if (!"".equals(detail.get("rms"))) {
                        meterReadings.add((String) detail.get("rms"));
                        meterWidths.add((String) detail.get("width"));
                    }
                    if (!screenshotTaken && seenOnPage.size() >= 12 && !"".equals(detail.get("topk"))
                            && ((Number) detail.get("columns")).intValue() >= 100) {
                        // Mid-replay: sources live, events on the timeline, the spectrogram strip full.
                        screenshot(browser);
                        screenshotTaken = true;
                    }
                    if (caughtUpAt == 0 && replaying.isDone() && detectorCaughtUp(kafka, topics.audio())) {
                        caughtUpAt = now;
                    }
                    if (caughtUpAt > 0 && (now - caughtUpAt > 10_000
                            || (now - caughtUpAt > 2_000 && seenOnPage.keySet().containsAll(kafkaEvents.ids())))) {
                        break;
                    }
                    Thread.sleep(200);
                }
                if (!screenshotTaken) {
                    screenshot(browser);
                }
                assertTrue(caughtUpAt > 0, "the detector processed all audio within 4 minutes");
                ReplaySummary summary = replaying.get(5, TimeUnit.SECONDS);
                assertEquals(SOURCES, summary.sources().size());

                // Every event record the detector committed reached the page, each within a few seconds.
                Map<String, Long> inKafka = kafkaEvents.firstSeen();
                assertTrue(inKafka.size() >= 10, "the soundscapes produce events: " + inKafka.size());
                List<String> late = new ArrayList<>();
                for (Map.Entry<String, Long> e : inKafka.entrySet()) {
                    Long shown = seenOnPage.get(e.getKey());
                    if (shown == null || shown - e.getValue() > MAX_EVENT_DELAY_MS) {
                        late.add(e.getKey() + (shown == null ? " never shown" : " shown after " + (shown - e.getValue()) + " ms"));
                    }
                }
                assertTrue(late.isEmpty(), late.size() + " of " + inKafka.size() + " event records late or missing: " + late);

                assertTrue(topKStates.size() >= 3, "the top-k list of " + selected + " changed as scores came in: " + topKStates);
                assertTrue(meterReadings.size() >= 5, "the level meter moved: " + meterReadings);
                assertTrue(meterWidths.size() >= 5, "the level meter's bar moved: " + meterWidths);
                for (String r : meterReadings) {
                    double db = Double.parseDouble(r);
                    assertTrue(db <= 0 && db >= -120, "a dBFS reading: " + db);
                }
                assertTrue(meterReadings.stream().mapToDouble(Double::parseDouble).max().orElse(-120) > -60,
                        "soundscapes are louder than -60 dBFS somewhere: " + meterReadings);

                List<String> rows = browser.findElements(By.cssSelector("#sources tr[data-source]")).stream()
                        .map(r -> r.getAttribute("data-source")).toList();
                assertEquals(audio.stream().map(p -> p.getFileName().toString()).sorted().toList(), rows,
                        "one row per replayed source, sorted");
                long columns = Long.parseLong(browser.findElement(By.id("spectrogram")).getAttribute("data-columns"));
                assertTrue(columns >= 100, "the spectrogram strip filled (10 s is 156 columns): " + columns);
                String energy = browser.findElement(By.id("health-energy")).getText();
                assertTrue(energy.matches("\\d+ J"), "energy per audio hour from the energy topic: " + energy);
                String lag = browser.findElement(By.id("health-lag")).getText();
                assertTrue(lag.matches("\\d+ chunks"), "the detector's lag: " + lag);
                assertFalse(browser.findElement(By.id("health-start-latency")).getText().equals("–"));
            } finally {
                browser.quit();
            }
        }
    }

    private static void screenshot(ChromeDriver browser) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        String extra = System.getProperty("earshot.dashboard.screenshot");
        if (extra != null && !extra.isBlank()) {
            Files.copy(shot, Path.of(extra), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> pageEventIds(ChromeDriver browser) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('#timeline li')).map(li => li.dataset.eventId + '/' + li.dataset.state + '=' + li.dataset.shownMs);");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(ChromeDriver browser) {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
                "const m = document.getElementById('detail-meter');"
                        + "return {topk: Array.from(document.querySelectorAll('#topk li')).map(li => li.dataset.label + '=' + li.dataset.score).join(','),"
                        + " rms: m.dataset.rms || '', width: m.querySelector('.meter-fill').style.width,"
                        + " columns: Number(document.getElementById('spectrogram').dataset.columns || 0)};");
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Duration timeout, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (org.openqa.selenium.WebDriverException e) {
                // the page is still loading
            }
            Thread.sleep(100);
        }
        fail("timed out after " + timeout.toSeconds() + " s waiting until " + what);
    }

    /** Whether the detector's group has committed every audio record written so far (as earshot demo waits). */
    private static boolean detectorCaughtUp(Properties kafka, String audioTopic) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 4; p++) {
                latest.put(new TopicPartition(audioTopic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APP_ID)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
                    return false;
                }
            }
            return true;
        }
    }

    private static void createTopics(Properties kafka, Topics topics) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (String t : List.of(topics.audio(), topics.events(), topics.scores(), topics.levels(), topics.energy(),
                topics.audioDlq())) {
            partitions.put(t, 4);
        }
        TopicCreation.createMissing(kafka, partitions);
    }

    /** Records, for each event record (id/state), when a read_committed consumer first saw it. */
    private static final class EventWatcher implements AutoCloseable {
        private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        EventWatcher(Properties kafka, String topic) {
            Properties p = new Properties();
            p.putAll(kafka);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "dashboard-test-watcher");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
            JsonSerde<SoundEvent> serde = JsonSerde.soundEvents();
            thread = new Thread(() -> {
                try (consumer) {
                    while (running) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                            SoundEvent e = serde.fromBytes(r.value());
                            String key = e.eventId() + "/" + (e.state() == SoundEvent.State.START ? "start" : "end");
                            firstSeen.putIfAbsent(key, System.currentTimeMillis());
                        }
                    }
                }
            }, "event-watcher");
            thread.start();
        }

        Map<String, Long> firstSeen() {
            return new LinkedHashMap<>(firstSeen);
        }

        Set<String> ids() {
            return new HashSet<>(firstSeen.keySet());
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
