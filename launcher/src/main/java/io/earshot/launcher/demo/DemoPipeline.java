package io.earshot.launcher.demo;

import io.earshot.broker.BrokerConfig;
import io.earshot.broker.EmbeddedKafkaBroker;
import io.earshot.broker.EmbeddedMqttBroker;
import io.earshot.dashboard.DashboardConfig;
import io.earshot.dashboard.DashboardService;
import io.earshot.detector.DetectorConfig;
import io.earshot.detector.DetectorService;
import io.earshot.ingest.replay.ReplayConfig;
import io.earshot.ingest.replay.ReplayJob;
import io.earshot.ingest.replay.ReplaySummary;
import io.earshot.protocol.TopicCreation;
import io.earshot.protocol.Topics;
import io.earshot.sink.MqttConfig;
import io.earshot.sink.SinkConfig;
import io.earshot.sink.SinkService;
import io.earshot.telemetry.EnergyConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's pipeline in one process: in-process broker, detector, sink, replay of the audio; returns
 * once every final event is written. Each part is the same service the separate commands run.
 */
final class DemoPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(DemoPipeline.class);
    static final String APPLICATION_ID = "earshot-demo-detector";
    private static final int PARTITIONS = 4;
    /** Files replayed at once at max speed; in real time every file is a live source at once (up to a bound). */
    private static final int PARALLEL_SOURCES = 4;
    private static final int PARALLEL_SOURCES_REAL_TIME = 64;
    private static final Duration ENERGY_INTERVAL = Duration.ofSeconds(5);

    private DemoPipeline() {
    }

    static DemoRun run(DemoConfig config, DemoWorkspace workspace, PrintWriter console, MeterRegistry registry,
                       DemoStop stop) throws Exception {
        long t0 = System.nanoTime();
        quietTemporaryStateDirWarning();
        Topics topics = Topics.defaults();
        try (ServiceStack services = new ServiceStack()) {
            EmbeddedKafkaBroker broker = services.push(EmbeddedKafkaBroker.start(new BrokerConfig(workspace.brokerDir(), 0)));
            stop.allowInterrupts();
            Properties kafka = new Properties();
            kafka.put("bootstrap.servers", broker.bootstrapServers());
            createTopics(kafka, topics);
            if (config.dashboardPort() != null) {
                DashboardService dashboard = services.push(DashboardService.start(
                        DashboardConfig.defaults(kafka, topics).withPort(config.dashboardPort())
                                .withDetectorGroupId(APPLICATION_ID)));
                console.println("Dashboard: " + dashboard.uri());
                console.flush();
            }

            DetectorConfig detectorConfig = DetectorConfig.builder(kafka)
                    .topics(topics)
                    .model(config.model())
                    .applicationId(APPLICATION_ID)
                    .stateDir(workspace.streamsStateDir())
                    .emitScores(true)
                    // Replayed files end with end-of-stream records; a replay starved of CPU on a busy machine
                    // can pause longer than the default idle time, which would split its stream in two.
                    .idleTimeout(Duration.ofMinutes(1))
                    .energy(EnergyConfig.defaults("demo").withReportInterval(ENERGY_INTERVAL))
                    .build();
            SinkConfig sinkConfig = SinkConfig.forBootstrap(broker.bootstrapServers())
                    .withTopics(topics)
                    .withGroupId("earshot-demo-sink")
                    .withConsole(config.printEvents())
                    .withTsv(workspace.eventsTsv())
                    .withScoresDir(workspace.scoresDir())
                    .withEnergy(true);
            if (config.mqtt() != null) {
                sinkConfig = sinkConfig.withMqtt(MqttConfig.forServer(mqttBroker(config.mqtt(), services, console),
                        "earshot-demo"));
            }

            DetectorService detector = services.push(DetectorService.start(detectorConfig, registry));
            SinkService sink = services.push(SinkService.start(sinkConfig, console, registry));
            if (!detector.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the detector did not start (state " + detector.state() + ")");
            }
            double startup = seconds(System.nanoTime() - t0);
            LOG.info("demo pipeline up in {} s; replaying {}", String.format("%.1f", startup), config.audio());

            long replayStart = System.nanoTime();
            ReplaySummary replay = stop.replay(new ReplayJob(replayConfig(config), kafka, topics, registry));
            if (replay.sources().isEmpty()) {
                throw new IllegalArgumentException("no WAV files to replay in " + config.audio());
            }
            DetectorCatchUp.await(kafka, APPLICATION_ID, topics.audio(), config.timeout(),
                    detector::isAlive);
            awaitSink(sink, config.timeout());
            double process = seconds(System.nanoTime() - replayStart);

            // Closing the detector publishes its last energy report; the sink then reads it too.
            services.closeNow(detector);
            awaitSink(sink, config.timeout());
            return new DemoRun(detector.settings().manifest().labels(), workspace.eventsTsv(), workspace.scoresDir(),
                    replay, sink.energyTotals().total(), startup, process);
        }
    }

    /** The broker to publish to: the one named, or an embedded one started here (printed with how to watch it). */
    private static String mqttBroker(String requested, ServiceStack services, PrintWriter console) {
        if (!requested.isEmpty()) {
            console.println("MQTT: publishing to " + requested);
            return requested;
        }
        EmbeddedMqttBroker.Options options = EmbeddedMqttBroker.Options.loopback().withPort(1883);
        EmbeddedMqttBroker mqtt;
        try {
            mqtt = services.push(EmbeddedMqttBroker.start(options));
        } catch (RuntimeException e) {
            LOG.info("port 1883 not available ({}); the embedded MQTT broker takes a free port", e.getMessage());
            mqtt = services.push(EmbeddedMqttBroker.start(options.withPort(0)));
        }
        console.printf("MQTT: embedded broker at %s; watch it with: mosquitto_sub -h %s -p %d -t 'earshot/#' -v%n",
                mqtt.uri(), mqtt.options().host(), mqtt.options().port());
        console.flush();
        return mqtt.uri();
    }

    static ReplayConfig replayConfig(DemoConfig config) {
        return ReplayConfig.of(List.of(config.audio()))
                .withPacing(config.pacing())
                .withChunkMillis(config.chunkMillis())
                .withParallelSources(config.pacing().unpaced() ? PARALLEL_SOURCES : PARALLEL_SOURCES_REAL_TIME)
                .withProgressInterval(Duration.ofSeconds(5));
    }

    private static void awaitSink(SinkService sink, Duration timeout) throws InterruptedException, TimeoutException {
        if (!sink.awaitCaughtUp(timeout)) {
            Throwable failure = sink.failure();
            if (failure != null) {
                throw new IllegalStateException("the sink failed: " + failure.getMessage(), failure);
            }
            throw new TimeoutException("the sink had not written every event after " + timeout.toSeconds() + " s");
        }
    }

    /** All topics up front: the sink subscribes to the energy topic before the first report creates it. */
    private static void createTopics(Properties kafka, Topics topics) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        partitions.put(topics.audio(), PARTITIONS);
        partitions.put(topics.events(), PARTITIONS);
        partitions.put(topics.scores(), PARTITIONS);
        partitions.put(topics.levels(), PARTITIONS);
        partitions.put(topics.audioDlq(), 1);
        partitions.put(topics.energy(), 1);
        TopicCreation.createMissing(kafka, partitions);
    }

    /**
     * Kafka Streams warns that a state directory under the OS temp dir may be cleared; for the demo that
     * is the point. Set before the detector's classes create their loggers, unless the user chose a level.
     */
    private static void quietTemporaryStateDirWarning() {
        String key = "org.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.StateDirectory";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "error");
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
