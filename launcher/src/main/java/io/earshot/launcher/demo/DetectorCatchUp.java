package io.earshot.launcher.demo;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the detector has committed everything that is in the audio topic now.
 *
 * <p>The detector runs exactly-once: the offsets of the audio records it consumed are committed in
 * the same transaction as the scores and events those records produced, and an end-of-stream record
 * makes the detector publish the stream's remaining scores and close its open events right away.
 * So once the committed offsets of its consumer group reach the end of every audio partition (after
 * the replay has sent its end-of-stream records), every final event is committed and readable.
 */
final class DetectorCatchUp {

    private static final long POLL_MILLIS = 100;

    private DetectorCatchUp() {
    }

    /**
     * @param alive checked on every poll; waiting stops with an exception when it turns false
     * @throws TimeoutException when the detector has not caught up within {@code timeout}
     */
    static void await(Properties kafka, String applicationId, String audioTopic, Duration timeout, BooleanSupplier alive)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(kafka)) {
            Map<TopicPartition, Long> ends = endOffsets(admin, audioTopic);
            Map<TopicPartition, Long> committed = Map.of();
            while (true) {
                committed = committedOffsets(admin, applicationId);
                if (reached(committed, ends)) {
                    return;
                }
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("the detector stopped before it had processed all audio");
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the detector had not processed all audio after " + timeout.toSeconds()
                            + " s (committed " + committed + ", end " + ends + ")");
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the detector's progress: " + e.getCause().getMessage(), e);
        }
    }

    static boolean reached(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (end.getValue() > 0 && committed.getOrDefault(end.getKey(), 0L) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        TopicDescription description = admin.describeTopics(java.util.List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> request = description.partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                : admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet()) {
            ends.put(e.getKey(), e.getValue().offset());
        }
        return ends;
    }

    private static Map<TopicPartition, Long> committedOffsets(Admin admin, String groupId)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null) {
                committed.put(tp, om.offset());
            }
        });
        return committed;
    }
}
