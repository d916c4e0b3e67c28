package io.earshot.dashboard;

import io.earshot.protocol.EnergyReport;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.SourceLevels;
import io.earshot.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads events, scores, levels and energy reports ({@code read_committed}) into the {@link DashboardState}.
 *
 * <p>A viewer, not a member of any consumer group: it assigns itself every partition of the four topics,
 * commits nothing and looks for new partitions (topics created later) every few seconds. At start, events
 * and energy reports are read from {@code history} ago, scores and levels from their end (only the live
 * picture matters); partitions that appear later are read from their beginning.
 */
final class TopicReader implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
    private static final long REFRESH_MILLIS = 3_000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final DashboardState state;
    private final Duration history;
    private final JsonSerde<SoundEvent> events = JsonSerde.soundEvents();
    private final JsonSerde<FrameScores> scores = JsonSerde.frameScores();
    private final JsonSerde<SourceLevels> levels = JsonSerde.sourceLevels();
    private final JsonSerde<EnergyReport> energy = JsonSerde.energyReports();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile boolean running = true;
    private boolean first = true;

    TopicReader(Properties kafka, Topics topics, DashboardState state, Duration history) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "earshot-dashboard");
        p.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.state = state;
        this.history = history;
    }

    @Override
    public void run() {
        long nextRefresh = 0;
        try {
            while (running) {
                if (System.currentTimeMillis() >= nextRefresh) {
                    refreshAssignment();
                    nextRefresh = System.currentTimeMillis() + REFRESH_MILLIS;
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    apply(r);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the dashboard stopped reading Kafka", e);
            state.onLag(null, "the dashboard stopped reading Kafka: " + e.getMessage());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            String topic = r.topic();
            if (topic.equals(topics.events())) {
                state.onEvent(events.fromBytes(r.value()), r.timestamp());
            } else if (topic.equals(topics.levels())) {
                state.onLevels(levels.fromBytes(r.value()), r.timestamp());
            } else if (topic.equals(topics.scores())) {
                state.onScores(scores.fromBytes(r.value()), r.timestamp());
            } else if (topic.equals(topics.energy())) {
                state.onEnergy(energy.fromBytes(r.value()));
            }
        } catch (RuntimeException e) {
            // One bad record must not blank the page: it is counted (shown under health) and skipped.
            state.onBadRecord();
            LOG.warn("skipped a record of {} at {}-{}@{}: {}", r.key(), r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private void refreshAssignment() {
        Map<String, List<PartitionInfo>> all = consumer.listTopics(Duration.ofSeconds(5));
        Set<TopicPartition> now = new HashSet<>();
        for (String t : List.of(topics.events(), topics.scores(), topics.levels(), topics.energy())) {
            for (PartitionInfo p : all.getOrDefault(t, List.of())) {
                now.add(new TopicPartition(t, p.partition()));
            }
        }
        if (now.equals(assigned)) {
            first = false;
            return;
        }
        List<TopicPartition> added = new ArrayList<>(now);
        added.removeAll(assigned);
        consumer.assign(now);
        assigned.clear();
        assigned.addAll(now);
        if (first) {
            startPositions(added);
        } else {
            consumer.seekToBeginning(added);
        }
        first = false;
    }

    /** Events and energy from {@code history} ago (or the end when there is nothing newer), the rest from the end. */
    private void startPositions(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> byTime = new HashMap<>();
        List<TopicPartition> atEnd = new ArrayList<>();
        long since = System.currentTimeMillis() - history.toMillis();
        for (TopicPartition tp : partitions) {
            if (tp.topic().equals(topics.events()) || tp.topic().equals(topics.energy())) {
                byTime.put(tp, since);
            } else {
                atEnd.add(tp);
            }
        }
        Map<TopicPartition, OffsetAndTimestamp> found = byTime.isEmpty() ? Map.of()
                : consumer.offsetsForTimes(byTime, Duration.ofSeconds(10));
        for (TopicPartition tp : byTime.keySet()) {
            OffsetAndTimestamp o = found.get(tp);
            if (o != null) {
                consumer.seek(tp, o.offset());
            } else {
                atEnd.add(tp);
            }
        }
        consumer.seekToEnd(atEnd);
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }
}
