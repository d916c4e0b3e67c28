package io.earshot.dashboard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The detector's consumer lag on the audio topic, as Kafka sees it: the end offsets of the audio
 * partitions minus the offsets the detector's group has committed (under exactly-once, committed with the
 * outputs of what it consumed), summed over partitions, in records.
 */
final class LagPoller implements AutoCloseable {

    private final Admin admin;
    private final String audioTopic;
    private final String groupId;

    LagPoller(Properties kafka, String audioTopic, String groupId) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.putIfAbsent("client.id", "earshot-dashboard-admin");
        this.admin = Admin.create(p);
        this.audioTopic = audioTopic;
        this.groupId = groupId;
    }

    /** Reads the lag and hands it to the state: the number, or null with a note saying why there is none. */
    void poll(DashboardState state) {
        try {
            Map<TopicPartition, Long> ends = endOffsets();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            if (committed.values().stream().allMatch(o -> o == null)) {
                state.onLag(null, "detector group " + groupId + " has committed nothing yet");
                return;
            }
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
            }
            state.onLag(lag, "detector group " + groupId + " on " + audioTopic);
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof UnknownTopicOrPartitionException
                    ? "no topic " + audioTopic + " yet" : e.getCause().getMessage();
            state.onLag(null, why);
        } catch (TimeoutException e) {
            state.onLag(null, "Kafka did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException, TimeoutException {
        TopicDescription d = admin.describeTopics(List.of(audioTopic)).allTopicNames().get(5, TimeUnit.SECONDS)
                .get(audioTopic);
        Map<TopicPartition, OffsetSpec> request = d.partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(audioTopic, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                : admin.listOffsets(request).all().get(5, TimeUnit.SECONDS).entrySet()) {
            ends.put(e.getKey(), e.getValue().offset());
        }
        return ends;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
