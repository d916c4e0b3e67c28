package io.earshot.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.protocol.EnergyReport;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.Topics;
import io.earshot.telemetry.EnergyConfig;
import io.earshot.telemetry.EnergyMeter;
import io.earshot.telemetry.EnergyReportPublisher;
import io.earshot.telemetry.MetricsEndpoint;
import io.earshot.telemetry.PrometheusScrape;
import io.earshot.telemetry.WorkCounters;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The sink against the real in-process broker: records in, every output checked. */
class SinkServiceTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    private static Properties clientProps() {
        return KAFKA.clientProperties();
    }

    private static Topics createTopics(String prefix) throws Exception {
        Topics topics = Topics.withPrefix(prefix);
        try (Admin admin = Admin.create(clientProps())) {
            admin.createTopics(List.of(new NewTopic(topics.events(), 2, (short) 1),
                    new NewTopic(topics.scores(), 2, (short) 1), new NewTopic(topics.energy(), 1, (short) 1)))
                    .all().get();
        }
        return topics;
    }

    private static KafkaProducer<String, byte[]> producer(String transactionalId) {
        Properties p = clientProps();
        p.put("acks", "all");
        if (transactionalId != null) {
            p.put("transactional.id", transactionalId);
        }
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        if (transactionalId != null) {
            producer.initTransactions();
        }
        return producer;
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, SoundEvent e) {
        producer.send(new ProducerRecord<>(topic, e.sourceId(), JsonSerde.soundEvents().toBytes(e)));
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, FrameScores s) {
        producer.send(new ProducerRecord<>(topic, s.sourceId(), JsonSerde.frameScores().toBytes(s)));
    }

    /** A meter that reports whatever joules the test sets. */
    private static final class SetMeter implements EnergyMeter {
        volatile double joules;

        @Override
        public String method() {
            return "cpu-model";
        }

        @Override
        public double joules() {
            return joules;
        }

        @Override
        public String describe() {
            return "test meter";
        }
    }

    @Test
    void everyOutputReceivesWhatTheTopicsHold() throws Exception {
        Topics topics = createTopics("all.");
        String street = "street-01.wav";
        String kitchen = "kitchen.wav";
        try (KafkaProducer<String, byte[]> tx = producer("test-detector-all")) {
            tx.beginTransaction();
            send(tx, topics.events(), Records.start(street, "Speech", 197_520, 0.91));
            send(tx, topics.events(), Records.start(street, "Dog", 16_000, 0.8));
            send(tx, topics.events(), Records.end(street, "Dog", 16_000, 40_000, 0.75));
            send(tx, topics.events(), Records.end(street, "Speech", 197_520, 224_000, 0.88));
            send(tx, topics.events(), Records.start(kitchen, "Music", 0, 0.6));
            send(tx, topics.events(), Records.end(kitchen, "Music", 0, 32_000, 0.65));
            send(tx, topics.events(), Records.start(kitchen, "Dog", 48_000, 0.7)); // still open
            send(tx, topics.scores(), Records.scores(street, 0, 5));
            send(tx, topics.scores(), Records.scores(street, 5, 5));
            send(tx, topics.scores(), Records.scores(street, 3, 5)); // overlaps what is there: no repeats
            send(tx, topics.scores(), Records.scores(kitchen, 0, 4));
            tx.commitTransaction();
            // An aborted transaction: a read_committed sink must never show it.
            tx.beginTransaction();
            send(tx, topics.events(), Records.end(kitchen, "Speech", 0, 1_600, 0.99));
            tx.flush();
            tx.abortTransaction();
        }
        try (KafkaProducer<String, byte[]> plain = producer(null)) {
            plain.send(new ProducerRecord<>(topics.events(), street, "{broken".getBytes(StandardCharsets.UTF_8))).get();
        }

        // Two detector instances publish energy through the real publisher.
        List<EnergyReport> published = new ArrayList<>();
        for (String instance : List.of("det-a", "det-b")) {
            SetMeter meter = new SetMeter();
            WorkCounters work = new WorkCounters();
            EnergyConfig cfg = EnergyConfig.defaults(instance).withReportInterval(Duration.ofHours(1))
                    .withGridIntensity(300);
            var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            try (EnergyReportPublisher pub = EnergyReportPublisher.start(cfg, meter, work, clientProps(),
                         topics.energy(), registry)) {
                meter.joules = instance.equals("det-a") ? 1800.0 : 5400.0;
                work.addAudioSeconds(instance.equals("det-a") ? 600 : 1200);
                work.addInferences(40);
                published.add(pub.publishNow());
            }
        }

        ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
        PrintWriter console = new PrintWriter(consoleBytes, true, StandardCharsets.UTF_8);
        Path jsonl = dir.resolve("out/events.jsonl");
        Path tsv = dir.resolve("out/events.tsv");
        Path scores = dir.resolve("out/scores");
        SinkConfig config = new SinkConfig(clientProps(), topics, "sink-all", true, jsonl, tsv, scores, true);
        try (MetricsEndpoint metrics = MetricsEndpoint.start("sink", "127.0.0.1", 0);
             SinkService sink = SinkService.start(config, console, metrics.registry())) {
            assertTrue(sink.awaitCaughtUp(CATCH_UP), "sink caught up");

            // console: one line per start and end, readable
            List<String> lines = consoleBytes.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
            List<String> eventLines = lines.stream().filter(l -> !l.startsWith("energy")).toList();
            assertEquals(7, eventLines.size(), String.join("\n", lines));
            assertTrue(eventLines.contains(ConsoleEventOutput.format(Records.end(street, "Speech", 197_520, 224_000, 0.88))));
            assertTrue(eventLines.contains(ConsoleEventOutput.format(Records.start(kitchen, "Dog", 48_000, 0.7))));
            assertTrue(eventLines.stream().noneMatch(l -> l.contains("conf 0.99")), "aborted record never shown");
            // two reports per instance: the one published explicitly and the final one on close
            assertEquals(4, lines.stream().filter(l -> l.startsWith("energy")).count());

            // JSON Lines: every committed record, read back as the same records
            List<SoundEvent> fromJsonl = new ArrayList<>();
            for (String l : Files.readAllLines(jsonl)) {
                fromJsonl.add(JsonSerde.MAPPER.readValue(l, SoundEvent.class));
            }
            assertEquals(7, fromJsonl.size());
            assertTrue(fromJsonl.contains(Records.end(kitchen, "Music", 0, 32_000, 0.65)));
            assertTrue(fromJsonl.contains(Records.start(kitchen, "Dog", 48_000, 0.7)));

            // DCASE TSV: closed events only, source id as filename, seconds since stream start
            List<String> tsvLines = Files.readAllLines(tsv);
            assertEquals("filename\tonset\toffset\tevent_label", tsvLines.get(0));
            assertEquals(List.of("kitchen.wav\t0.000000\t2.000000\tMusic", "street-01.wav\t1.000000\t2.500000\tDog",
                    "street-01.wav\t12.345000\t14.000000\tSpeech"), tsvLines.subList(1, tsvLines.size()).stream().sorted().toList());

            // score tables: one per stream, 10 and 4 contiguous frames
            List<String> streetTable = Files.readAllLines(scores.resolve("street-01.wav.tsv"));
            assertEquals("onset\toffset\tSpeech\tMusic\tDog", streetTable.get(0));
            assertEquals(11, streetTable.size());
            for (int f = 0; f < 10; f++) {
                String[] cells = streetTable.get(f + 1).split("\t");
                assertEquals((384 + 1024.0 * f) / 16_000, Double.parseDouble(cells[0]), 1e-9, "frame " + f);
                assertEquals(Records.row(f)[2], Double.parseDouble(cells[4]), 1e-6, "frame " + f);
            }
            assertEquals(5, Files.readAllLines(scores.resolve("kitchen.wav.tsv")).size());

            // energy totals across the two instances
            EnergyTotals.Summary total = sink.energyTotals().total();
            double joules = published.stream().mapToDouble(EnergyReport::joules).sum();
            assertEquals(2, total.instances());
            assertEquals(7200.0, joules, 1e-9);
            assertEquals(joules / 3.6e6, total.kwh(), 1e-12);
            assertEquals(1800.0 / 3600, total.audioHours(), 1e-12);
            assertEquals(joules / 3.6e6 / 0.5, total.kwhPerAudioHour(), 1e-12);
            assertEquals(joules / 3.6e6 * 300, total.gramsCo2e(), 1e-9);

            // the metrics endpoint, scraped over HTTP and parsed
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(metrics.uri()).build(), HttpResponse.BodyHandlers.ofString());
            PrometheusScrape scrape = PrometheusScrape.parse(response.body());
            assertEquals(1.0, scrape.value("earshot_sink_events_total", Map.of("label", "Speech", "state", "end"))
                    .orElseThrow());
            assertEquals(3.0, scrape.sum("earshot_sink_events_total", Map.of("label", "Dog")));
            assertEquals(1.0, scrape.value("earshot_sink_records_rejected_total",
                    Map.of("topic", topics.events(), "reason", "invalid_json")).orElseThrow());
            assertEquals(0.0, scrape.value("earshot_sink_consumer_lag_records", Map.of("topic", topics.events()))
                    .orElseThrow());
            assertEquals(3.0, scrape.value("earshot_sink_output_written_total", Map.of("output", "tsv")).orElseThrow());
            assertEquals(14.0, scrape.value("earshot_sink_output_written_total", Map.of("output", "scores")).orElseThrow());
            assertEquals(joules / 3.6e6, scrape.value("earshot_sink_energy_kwh", Map.of()).orElseThrow(), 1e-12);
            assertEquals(2.0, scrape.value("earshot_sink_energy_instances", Map.of()).orElseThrow());
            assertFalse(scrape.named("jvm_memory_used_bytes").isEmpty());
            String doc = Files.readString(Path.of(System.getProperty("earshot.repo.root", ".."), "docs", "metrics.md"));
            assertEquals(List.of(), scrape.undocumentedIn(doc), "every metric the sink exports is in docs/metrics.md");
        }
    }

    @Test
    void restartingNeverWritesAnEventTwice() throws Exception {
        Topics topics = createTopics("restart.");
        Path jsonl = dir.resolve("events.jsonl");
        Path tsv = dir.resolve("events.tsv");
        Path scores = dir.resolve("scores");
        SinkConfig config = new SinkConfig(clientProps(), topics, "sink-restart", false, jsonl, tsv, scores, false);
        PrintWriter quiet = new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        try (KafkaProducer<String, byte[]> p = producer(null)) {
            for (int i = 0; i < 3; i++) {
                send(p, topics.events(), Records.start("a.wav", "Dog", 16_000L * 10 * i, 0.7));
                send(p, topics.events(), Records.end("a.wav", "Dog", 16_000L * 10 * i, 16_000L * (10 * i + 2), 0.7));
            }
            send(p, topics.scores(), Records.scores("a.wav", 0, 6));
            p.flush();
        }
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (SinkService sink = SinkService.start(config, quiet, registry)) {
            assertTrue(sink.awaitCaughtUp(CATCH_UP));
        }
        assertEquals(6, Files.readAllLines(jsonl).size());
        // A crash in the middle of a write leaves half a line behind.
        Files.writeString(jsonl, "{\"event_id\":\"half", java.nio.file.StandardOpenOption.APPEND);

        try (KafkaProducer<String, byte[]> p = producer(null)) {
            // the detector, restarted, publishes an end it had already published, then new events
            send(p, topics.events(), Records.end("a.wav", "Dog", 16_000L * 20, 16_000L * 22, 0.7));
            send(p, topics.events(), Records.start("a.wav", "Speech", 16_000L * 40, 0.9));
            send(p, topics.events(), Records.end("a.wav", "Speech", 16_000L * 40, 16_000L * 41, 0.9));
            send(p, topics.scores(), Records.scores("a.wav", 4, 6)); // frames 4, 5 again, then 6..9
            p.flush();
        }
        var registry2 = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (SinkService sink = SinkService.start(config, quiet, registry2)) {
            assertTrue(sink.awaitCaughtUp(CATCH_UP));
            assertEquals(1.0, registry2.get("earshot.sink.output.skipped").tag("output", "jsonl").tag("reason", "duplicate").counter().count());
        }
        List<String> jsonLines = Files.readAllLines(jsonl);
        assertEquals(8, jsonLines.size(), "6 + 2 new; the repeated end and the half line are gone");
        assertEquals(8, jsonLines.stream().distinct().count());
        assertEquals(5, Files.readAllLines(tsv).size(), "header + 4 closed events");
        assertEquals(11, Files.readAllLines(scores.resolve("a.wav.tsv")).size(), "header + frames 0..9");

        // A sink in a new group re-reads everything from the start into the same files: nothing changes.
        String before = Files.readString(jsonl) + Files.readString(tsv) + Files.readString(scores.resolve("a.wav.tsv"));
        var registry3 = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (SinkService sink = SinkService.start(config.withGroupId("sink-restart-fresh"), quiet, registry3)) {
            assertTrue(sink.awaitCaughtUp(CATCH_UP));
            assertEquals(9.0, registry3.get("earshot.sink.output.skipped").tag("output", "jsonl").tag("reason", "duplicate").counter().count());
            assertEquals(0.0, registry3.find("earshot.sink.output.written").tag("output", "jsonl").counters().stream()
                    .mapToDouble(c -> c.count()).sum());
        }
        assertEquals(before, Files.readString(jsonl) + Files.readString(tsv) + Files.readString(scores.resolve("a.wav.tsv")));
    }

    @Test
    void energyTotalsCoverEveryReportEvenAfterARestartInTheSameGroup() throws Exception {
        Topics topics = createTopics("energy.");
        PrintWriter quiet = new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        SinkConfig config = SinkConfig.forBootstrap(KAFKA.bootstrapServers()).withTopics(topics)
                .withGroupId("sink-energy").withEnergy(true);
        try (KafkaProducer<String, byte[]> p = producer(null)) {
            p.send(new ProducerRecord<>(topics.energy(), "det-a", JsonSerde.energyReports().toBytes(
                    new EnergyReport("det-a", 0, 10_000_000, 360.0, 1e-4, "rapl", 60, 6, 21_600.0, 0.05))));
            p.send(new ProducerRecord<>(topics.energy(), "det-b", JsonSerde.energyReports().toBytes(
                    new EnergyReport("det-b", 0, 10_000_000, 720.0, 2e-4, "rapl", 60, 6, 43_200.0, 0.1))));
            p.flush();
        }
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (SinkService sink = SinkService.start(config, quiet, registry)) {
            assertTrue(sink.awaitCaughtUp(CATCH_UP));
            assertEquals(1080.0, sink.energyTotals().total().joules(), 1e-9);
        }
        try (KafkaProducer<String, byte[]> p = producer(null)) {
            p.send(new ProducerRecord<>(topics.energy(), "det-a", JsonSerde.energyReports().toBytes(
                    new EnergyReport("det-a", 10_000_000, 20_000_000, 36.0, 1e-5, "rapl", 60, 6, 2_160.0, 0.005))));
            p.flush();
        }
        var registry2 = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (SinkService sink = SinkService.start(config, quiet, registry2)) {
            assertTrue(sink.awaitCaughtUp(CATCH_UP));
            EnergyTotals.Summary t = sink.energyTotals().total();
            assertEquals(1116.0, t.joules(), 1e-9, "the two earlier reports are counted again, once");
            assertEquals(3, t.reports());
            assertEquals(180.0, t.audioSeconds(), 1e-9);
            assertEquals(1116.0 / 3.6e6 / (180.0 / 3600), t.kwhPerAudioHour(), 1e-12);
        }
    }

    @Test
    void topicsCreatedAfterTheSinkStartedArePickedUpAndNeverCreatedByIt() throws Exception {
        Topics topics = Topics.withPrefix("late.");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter console = new PrintWriter(bytes, true, StandardCharsets.UTF_8);
        SinkConfig config = new SinkConfig(clientProps(), topics, "sink-late", true, null, null, null, true);
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (SinkService sink = SinkService.start(config, console, registry)) {
            assertTrue(sink.awaitCaughtUp(CATCH_UP), "nothing to catch up with while no topic exists");
            try (Admin admin = Admin.create(clientProps())) {
                assertFalse(admin.listTopics().names().get().contains(topics.events()), "the sink created no topic");
            }
            try (KafkaProducer<String, byte[]> p = producer(null)) {
                send(p, topics.events(), Records.start("late.wav", "Dog", 0, 0.5));
                p.flush();
            }
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            while (bytes.size() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("START  late.wav  Dog"), bytes.toString());
        }
    }
}
