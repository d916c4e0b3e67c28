package io.earshot.sink;

import io.earshot.broker.EmbeddedKafkaBroker;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How fast the sink drains the topics into JSONL + TSV + score tables (not a test: run by hand).
 * Produces EVENTS events (start + end records) over 10 sources and SCORE_BLOCKS blocks of 10 frames x 12
 * labels, then times a fresh sink from start to caught up, twice: into empty files, and again into the
 * same files in a new group (every record a duplicate).
 *
 * <pre>java -cp "sink/target/test-classes:sink/target/classes:$(cat cp.txt)" io.earshot.sink.SinkThroughputBench</pre>
 */
public final class SinkThroughputBench {

    private static final int EVENTS = 20_000;
    private static final int SCORE_BLOCKS = 2_000;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("sink-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            Topics topics = Topics.defaults();
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put("linger.ms", "20");
            java.util.List<String> labels = java.util.List.of("Alarm", "Bird", "Dog", "Engine", "Explosion",
                    "Footsteps", "Keyboard", "Music", "Scream", "Speech", "Tools", "Water");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < EVENTS; i++) {
                    String source = "src-" + (i % 10) + ".wav";
                    long onset = 16_000L * (i / 10) * 3;
                    String label = labels.get(i % labels.size());
                    producer.send(new ProducerRecord<>(topics.events(), source,
                            JsonSerde.soundEvents().toBytes(Records.start(source, label, onset, 0.8))));
                    producer.send(new ProducerRecord<>(topics.events(), source,
                            JsonSerde.soundEvents().toBytes(Records.end(source, label, onset, onset + 16_000, 0.8))));
                }
                for (int b = 0; b < SCORE_BLOCKS; b++) {
                    String source = "src-" + (b % 10) + ".wav";
                    java.util.List<float[]> rows = new java.util.ArrayList<>();
                    long first = (b / 10) * 10L;
                    for (int k = 0; k < 10; k++) {
                        float[] row = new float[labels.size()];
                        for (int c = 0; c < row.length; c++) {
                            row[c] = ((first + k + c) % 97) / 97f;
                        }
                        rows.add(row);
                    }
                    producer.send(new ProducerRecord<>(topics.scores(), source, JsonSerde.frameScores().toBytes(
                            new io.earshot.protocol.FrameScores(source, "s", 16_000, first, 384 + 1024 * first, 1024, 0,
                                    labels, rows, "m", "1"))));
                }
            }
            SinkConfig config = new SinkConfig(p, topics, "bench-1", false, dir.resolve("e.jsonl"), dir.resolve("e.tsv"),
                    dir.resolve("scores"), false);
            run("fresh files", config, EVENTS * 2 + SCORE_BLOCKS);
            run("all duplicates", config.withGroupId("bench-2"), EVENTS * 2 + SCORE_BLOCKS);
        }
    }

    private static void run(String what, SinkConfig config, int records) throws Exception {
        long t0 = System.nanoTime();
        try (SinkService sink = SinkService.start(config, new PrintWriter(new StringWriter()), new SimpleMeterRegistry())) {
            if (!sink.awaitCaughtUp(Duration.ofMinutes(5))) {
                throw new IllegalStateException("not caught up");
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%-15s %d records (%d events, %d score blocks of 10 frames) in %.2f s: %.0f records/s%n",
                what, records, EVENTS, SCORE_BLOCKS, s, records / s);
    }
}
