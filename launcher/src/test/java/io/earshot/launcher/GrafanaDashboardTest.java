package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.broker.EmbeddedMqttBroker;
import io.earshot.detector.DetectorMetrics;
import io.earshot.detector.DlqReason;
import io.earshot.ingest.IngestMetrics;
import io.earshot.protocol.EventIds;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.Topics;
import io.earshot.sink.MqttConfig;
import io.earshot.sink.MqttCooldowns;
import io.earshot.sink.SinkConfig;
import io.earshot.sink.SinkService;
import io.earshot.telemetry.CpuTimeEnergyModel;
import io.earshot.telemetry.EnergyConfig;
import io.earshot.telemetry.EnergyReportPublisher;
import io.earshot.telemetry.MetricsEndpoint;
import io.earshot.telemetry.PrometheusScrape;
import io.earshot.telemetry.WorkCounters;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Grafana dashboard (deploy/grafana/dashboards/earshot.json) cannot drift from the metrics: every metric
 * its queries use must be in docs/metrics.md and in a real scrape of the services' meters (ingest, detector,
 * energy, a running sink with its MQTT bridge, a Kafka consumer's client metrics).
 */
class GrafanaDashboardTest {

    private static final Path REPO = Path.of(System.getProperty("earshot.repo.root", "..")).toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("\\b(?:earshot|kafka|jvm|process|system)_[a-z0-9_]+\\b");

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static JsonNode dashboard() throws Exception {
        return JsonSerde.MAPPER.readTree(REPO.resolve("deploy/grafana/dashboards/earshot.json").toFile());
    }

    /** Every PromQL expression of the dashboard: panel targets (rows included) and template variables. */
    private static List<String> queries(JsonNode dash) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dash.path("panels")) {
            collect(panel, out);
            for (JsonNode inner : panel.path("panels")) {
                collect(inner, out);
            }
        }
        for (JsonNode v : dash.path("templating").path("list")) {
            out.add(v.path("query").isTextual() ? v.path("query").asText() : v.path("query").path("query").asText());
        }
        return out;
    }

    private static void collect(JsonNode panel, List<String> out) {
        for (JsonNode t : panel.path("targets")) {
            out.add(t.path("expr").asText());
        }
    }

    private static Set<String> metricNames(List<String> queries) {
        Set<String> names = new TreeSet<>();
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    @Test
    void everyMetricTheDashboardQueriesIsDocumentedAndExported() throws Exception {
        JsonNode dash = dashboard();
        Set<String> used = metricNames(queries(dash));
        // the areas the dashboard is for: throughput, lag, latency, drops, dead-letter topic, energy
        assertTrue(used.containsAll(List.of("earshot_detector_audio_seconds_total", "earshot_sink_consumer_lag_records",
                "kafka_consumer_fetch_manager_records_lag_max", "earshot_detector_capture_to_event_latency_seconds_bucket",
                "earshot_ingest_audio_dropped_seconds_total", "earshot_detector_chunks_rejected_total",
                "earshot_energy_power_watts", "earshot_energy_joules_total", "earshot_work_audio_seconds_total")), used.toString());

        String doc = Files.readString(REPO.resolve("docs/metrics.md"));
        List<PrometheusScrape.Sample> asSamples = used.stream().map(n -> new PrometheusScrape.Sample(n, Map.of(), 0)).toList();
        assertEquals(List.of(), new PrometheusScrape(asSamples).undocumentedIn(doc),
                "metrics in the dashboard but not in docs/metrics.md");

        List<String> scraped = realScrape().names();
        List<String> missing = used.stream().filter(n -> !scraped.contains(n)).toList();
        assertEquals(List.of(), missing, "metrics in the dashboard that no service exports");
    }

    @Test
    void theDashboardUsesTheProvisionedDatasourceAndComposeWiresItUp() throws Exception {
        String datasource = Files.readString(REPO.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
        assertTrue(datasource.contains("uid: earshot-prometheus"), datasource);
        JsonNode dash = dashboard();
        int panels = 0;
        for (JsonNode p : dash.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            panels++;
            assertEquals("earshot-prometheus", p.path("datasource").path("uid").asText(), p.path("title").asText());
            assertFalse(p.path("targets").isEmpty(), p.path("title").asText());
        }
        assertTrue(panels >= 10, "panels: " + panels);
        String compose = Files.readString(REPO.resolve("docker-compose.yml"));
        String prometheus = Files.readString(REPO.resolve("deploy/prometheus/prometheus.yml"));
        for (String service : List.of("detect", "sink")) {
            Matcher port = Pattern.compile("\\n  " + service + ":\\n(?:    .*\\n)*?    command: \\[[^]]*\"--metrics-port\", \"(\\d+)\"")
                    .matcher(compose);
            assertTrue(port.find(), "metrics port of " + service + " in docker-compose.yml");
            assertTrue(prometheus.contains(service + ":" + port.group(1)), "Prometheus scrapes " + service);
        }
        assertTrue(compose.contains("./deploy/grafana/dashboards:/etc/grafana/dashboards"));
        assertTrue(Files.readString(REPO.resolve("deploy/grafana/provisioning/dashboards/earshot.yml"))
                .contains("path: /etc/grafana/dashboards"));
    }

    /** One registry holding what every service exports, from the real metric classes and services. */
    private static PrometheusScrape realScrape() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.withoutHttp("all");
             EmbeddedMqttBroker mqtt = EmbeddedMqttBroker.startTemporary()) {
            IngestMetrics ingest = new IngestMetrics(endpoint.registry());
            ingest.audioSent("a.wav", 1.0);
            ingest.chunkSent("a.wav");
            ingest.audioDropped("mic", "buffer_full", 0.5);
            ingest.sendError("mic");

            WorkCounters work = new WorkCounters();
            DetectorMetrics detector = new DetectorMetrics(endpoint.registry(), work);
            detector.batchDone(4, 3_000_000);
            detector.audio("a.wav", 16_000, 16_000);
            detector.rejected(DlqReason.MALFORMED);
            detector.duplicate();
            detector.gap();
            detector.event("Speech", true, 120_000, 900_000);
            detector.event("Speech", false, 110_000, -1);

            Topics topics = Topics.withPrefix("graf.");
            Properties kafka = KAFKA.clientProperties();
            try (Admin admin = Admin.create(kafka)) {
                admin.createTopics(List.of(new NewTopic(topics.events(), 1, (short) 1),
                        new NewTopic(topics.energy(), 1, (short) 1))).all().get();
            }
            EnergyReportPublisher energy = EnergyReportPublisher.start(
                    EnergyConfig.defaults("det-1").withReportInterval(Duration.ofHours(1)),
                    new CpuTimeEnergyModel(10, 0.375), work, kafka, topics.energy(), endpoint.registry());
            work.addAudioSeconds(60);
            energy.publishNow();
            energy.close();
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka, new StringSerializer(),
                    new ByteArraySerializer())) {
                for (SoundEvent e : List.of(event(SoundEvent.State.START, 0, null), event(SoundEvent.State.END, 0, 16_000L),
                        event(SoundEvent.State.START, 32_000, null))) { // inside the cooldown
                    p.send(new ProducerRecord<>(topics.events(), e.sourceId(), JsonSerde.soundEvents().toBytes(e))).get();
                }
                p.send(new ProducerRecord<>(topics.events(), "a.wav", "{broken".getBytes(StandardCharsets.UTF_8))).get();
            }
            SinkConfig sink = new SinkConfig(kafka, topics, "graf", false, null, null, null, true,
                    MqttConfig.forServer(mqtt.uri(), "graf").withCooldowns(MqttCooldowns.parse(List.of("60"))));
            try (SinkService s = SinkService.start(sink, new PrintWriter(new StringWriter()), endpoint.registry())) {
                assertTrue(s.awaitCaughtUp(Duration.ofSeconds(60)));
            }

            // The Kafka client metrics the detector binds (KafkaStreamsMetrics), from a real consumer.
            Properties c = KAFKA.clientProperties();
            c.put("group.id", "graf-consumer");
            c.put("auto.offset.reset", "earliest");
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                    new ByteArrayDeserializer());
                 KafkaClientMetrics bound = new KafkaClientMetrics(consumer)) {
                bound.bindTo(endpoint.registry());
                consumer.subscribe(List.of(topics.events()));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                int records = 0;
                while (records == 0 && System.nanoTime() < deadline) {
                    records += consumer.poll(Duration.ofMillis(200)).count();
                }
                return PrometheusScrape.parse(endpoint.scrape());
            }
        }
    }

    private static SoundEvent event(SoundEvent.State state, long onset, Long offset) {
        long t0 = 1_795_000_000_000_000L;
        return new SoundEvent(EventIds.of("a.wav", "s1", "Dog", onset), "a.wav", "s1", "Dog", state, onset, offset,
                16_000, onset / 16_000.0, offset == null ? null : offset / 16_000.0, t0 + onset * 1_000_000L / 16_000,
                offset == null ? null : t0 + offset * 1_000_000L / 16_000, 0.8, "earshot-sed", "1");
    }
}
