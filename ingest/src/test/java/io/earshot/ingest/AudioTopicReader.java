package io.earshot.ingest;

import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkSerde;
import io.earshot.protocol.DecodeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Test helper: reads the audio topic from the beginning and groups the decoded chunks by source. */
public final class AudioTopicReader {

    /** One consumed record. */
    public record Received(String key, long timestamp, int partition, AudioChunk chunk) {
    }

    private AudioTopicReader() {
    }

    /** Reads until {@code done} holds for what was read so far, or fails after {@code timeout}. */
    public static Map<String, List<Received>> readUntil(String bootstrap, String topic, Duration timeout,
                                                        Predicate<Map<String, List<Received>>> done) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<Received>> bySource = new LinkedHashMap<>();
        try (KafkaConsumer<String, DecodeResult> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new AudioChunkSerde().deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(bySource)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out reading " + topic + "; got " + summary(bySource));
                }
                for (ConsumerRecord<String, DecodeResult> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!(r.value() instanceof DecodeResult.Decoded d)) {
                        throw new AssertionError("undecodable record on " + topic + ": " + r.value());
                    }
                    bySource.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add(new Received(r.key(), r.timestamp(), r.partition(), d.chunk()));
                }
            }
        }
        return bySource;
    }

    /** True once every listed source has an end-of-stream record. */
    public static Predicate<Map<String, List<Received>>> endOfStreamFrom(java.util.Collection<String> sources) {
        return m -> sources.stream().allMatch(s -> m.getOrDefault(s, List.of()).stream().anyMatch(r -> r.chunk().endOfStream()));
    }

    /** Concatenated mono samples of a source's chunks of one stream. */
    public static float[] samples(List<Received> records, String streamId) {
        int n = records.stream().filter(r -> r.chunk().streamId().equals(streamId)).mapToInt(r -> r.chunk().frameCount()).sum();
        float[] out = new float[n];
        int pos = 0;
        for (Received r : records) {
            if (r.chunk().streamId().equals(streamId)) {
                float[] s = r.chunk().toMonoFloats();
                System.arraycopy(s, 0, out, pos, s.length);
                pos += s.length;
            }
        }
        return out;
    }

    private static String summary(Map<String, List<Received>> m) {
        StringBuilder s = new StringBuilder();
        m.forEach((k, v) -> s.append(k).append('=').append(v.size()).append(" records; "));
        return s.toString();
    }
}
