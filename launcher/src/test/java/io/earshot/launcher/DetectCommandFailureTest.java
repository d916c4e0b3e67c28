package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.detector.DetectorConfig;
import io.earshot.detector.DetectorService;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkSerde;
import io.earshot.protocol.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code earshot detect} ends with one clear line when its stream threads stop by themselves. */
class DetectCommandFailureTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final int RATE = 16000;

    @TempDir
    Path dir;

    @Test
    @Timeout(300) // without the failure check the command would wait for a Ctrl-C forever
    void aRestartWithAnotherHopOnAnOpenStreamExitsWithTheReason() throws Exception {
        Path model = Path.of(System.getProperty("earshot.repo.root", "..")).resolve("models/earshot-sed-v1.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(model), "model not exported yet");
        Properties kafka = KAFKA.clientProperties();
        Topics topics = Topics.defaults();
        publishOpenStream(kafka, topics, "mic-cli", 16.0);

        // A first detector analyses part of the stream and stops with the stream still open.
        // (a long idle time: the stream must still be open when this detector stops)
        DetectorConfig first = DetectorConfig.builder(kafka).model(model).topics(topics).applicationId("hop-cli")
                .stateDir(dir.resolve("state-1")).idleTimeout(Duration.ofMinutes(10)).build();
        try (DetectorService detector = DetectorService.start(first, new SimpleMeterRegistry())) {
            assertTrue(detector.awaitRunning(Duration.ofSeconds(60)), "first detector running");
            awaitRecords(kafka, topics.scores());
        }

        // The same application with a smaller hop must not run on that state, nor wait for a Ctrl-C.
        MainTest.Result r = MainTest.run("detect", "--bootstrap-server", KAFKA.bootstrapServers(),
                "--model", model.toString(), "--application-id", "hop-cli", "--hop-s", "1.0",
                "--state-dir", dir.resolve("state-2").toString(), "--energy-interval-s", "0");
        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.err());
        assertTrue(r.err().contains("the detector stopped: source mic-cli has an open stream"), r.err());
        assertTrue(r.err().contains("--application-id"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    private static void publishOpenStream(Properties kafka, Topics topics, String source, double seconds) {
        Random random = new Random(7);
        float[] audio = new float[(int) (seconds * RATE)];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / RATE) + 0.05 * random.nextGaussian());
        }
        try (KafkaProducer<String, AudioChunk> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                AudioChunkSerde.chunkSerializer())) {
            int chunk = RATE / 10;
            long capture = 1_700_000_000_000_000L;
            for (int start = 0, seq = 0; start + chunk <= audio.length; start += chunk, seq++) {
                producer.send(new ProducerRecord<>(topics.audio(), source, AudioChunk.ofMonoPcm16("stream-cli", seq, start,
                        capture + start * 1_000_000L / RATE, RATE, audio, start, chunk)));
            }
            producer.flush();
        }
    }

    private static void awaitRecords(Properties kafka, String topic) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put("group.id", "detect-failure-test");
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                    return;
                }
            }
        }
        assertFalse(true, "no records on " + topic + " within 90 s");
    }
}
