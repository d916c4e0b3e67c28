package io.earshot.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sink: one consumer thread that polls the configured topics, hands each record to the
 * {@link SinkPipeline}, flushes the outputs and only then commits the offsets. Together with the
 * outputs' duplicate checks this makes file outputs exactly-once across restarts.
 *
 * <p>The consumer reads committed transactions only (the detector writes with exactly-once). The
 * energy topic is always re-read from its beginning when its partitions are assigned, so the totals
 * cover every report ever published, not just those since the last commit.
 */
public final class SinkService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * Forcing costs an fsync per file written since the last commit (0.2 ms typical); the MQTT bridge
     * publishes at each commit, so notifications wait at most this long under steady load.
     */
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    private final SinkConfig config;
    private final SinkPipeline pipeline;
    private final SinkMetrics metrics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Thread thread;
    private final Queue<CatchUp> catchUps = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    /** Records processed since the last commit (consumer thread only). */
    private boolean uncommitted;
    private long lastCommitNanos = System.nanoTime();
    private volatile Throwable failure;

    private SinkService(SinkConfig config, PrintWriter console, MeterRegistry registry) throws IOException {
        this.config = config;
        this.metrics = new SinkMetrics(registry);
        this.pipeline = new SinkPipeline(config, console, metrics);
        this.topics = pipeline.topics();
        try {
            this.consumer = new KafkaConsumer<>(consumerProperties(config), new StringDeserializer(),
                    new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
        this.thread = new Thread(this::run, "earshot-sink");
    }

    /**
     * Opens the outputs (rebuilding their duplicate checks from existing files) and starts consuming.
     *
     * @param console  where console lines and energy totals go (System.out for the CLI)
     * @param registry where the sink's meters are registered
     * @throws IOException when an output file cannot be opened or read
     */
    public static SinkService start(SinkConfig config, PrintWriter console, MeterRegistry registry) throws IOException {
        config.requireAnOutput();
        SinkService service = new SinkService(config, console, registry);
        service.thread.start();
        LOG.info("sink consuming {} as group {}", service.topics, config.groupId());
        return service;
    }

    static Properties consumerProperties(SinkConfig config) {
        Properties p = config.kafka();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        io.earshot.protocol.KafkaClientDefaults.applyTo(p);
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Topics are the detector's to create (with its partition count); a missing one is picked up
        // within seconds of its creation.
        p.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "earshot-sink-" + config.groupId());
        return p;
    }

    private void run() {
        try {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Hand over with everything written so far forced and committed.
                    commitWritten();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    List<TopicPartition> energy = partitions.stream()
                            .filter(tp -> tp.topic().equals(config.topics().energy())).toList();
                    if (!energy.isEmpty()) {
                        consumer.seekToBeginning(energy);
                    }
                }
            });
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> r : records) {
                    pipeline.process(r.topic(), r.value(), r.topic() + "-" + r.partition() + "@" + r.offset());
                }
                if (!records.isEmpty()) {
                    uncommitted = true;
                }
                // Forcing files to disk costs an fsync per file: commit once a second while records keep
                // coming, at once when the topics are drained or a caller waits for the sink to catch up.
                if (uncommitted && (records.isEmpty() || !catchUps.isEmpty()
                        || System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL.toNanos())) {
                    commitWritten();
                }
                updateLag();
                answerCatchUps();
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (Throwable t) {
            failure = t;
            if (t instanceof org.apache.kafka.common.errors.AuthenticationException
                    || t instanceof org.apache.kafka.common.errors.AuthorizationException) {
                // A refused login or a missing ACL says all there is to say; a stack trace would bury it.
                LOG.error("sink stopped: {}", t.toString());
            } else {
                LOG.error("sink stopped: {}", t.toString(), t);
            }
        } finally {
            try {
                if (failure == null) {
                    try {
                        commitWritten(); // a clean stop commits what it wrote
                    } catch (WakeupException e) {
                        commitWritten(); // close() woke the consumer after its last poll: the flag is spent now
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("could not commit on stop (the records are consumed again and skipped as written): {}",
                        e.toString());
            }
            try {
                pipeline.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
                LOG.error("closing sink outputs failed: {}", e.toString());
            }
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            CatchUp c;
            while ((c = catchUps.poll()) != null) {
                c.done.countDown();
            }
            stopped.countDown();
        }
    }

    /** Forces every output to disk, then commits the offsets of what they hold. */
    private void commitWritten() {
        if (!uncommitted) {
            return;
        }
        try {
            pipeline.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
        commit();
        uncommitted = false;
        lastCommitNanos = System.nanoTime();
    }

    private void commit() {
        try {
            consumer.commitSync();
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The group moved these partitions elsewhere meanwhile: whoever gets them re-reads the batch,
            // and the outputs' duplicate checks keep the files exact.
            LOG.info("offsets not committed, the group is rebalancing: {}", e.getMessage());
        }
    }

    private void updateLag() {
        Map<String, Long> byTopic = new HashMap<>();
        for (String t : topics) {
            byTopic.put(t, 0L);
        }
        for (TopicPartition tp : consumer.assignment()) {
            consumer.currentLag(tp).ifPresent(l -> byTopic.merge(tp.topic(), l, Long::sum));
        }
        byTopic.forEach(metrics::lag);
    }

    /** A caller waiting until the sink has written everything present in the topics at its request. */
    private static final class CatchUp {
        final CountDownLatch done = new CountDownLatch(1);
        Map<TopicPartition, Long> targets;
        volatile boolean reached;
    }

    private void answerCatchUps() {
        if (catchUps.isEmpty()) {
            return;
        }
        List<CatchUp> finished = new ArrayList<>();
        for (CatchUp c : catchUps) {
            if (c.targets == null) {
                List<TopicPartition> all = new ArrayList<>();
                for (String t : topics) {
                    List<PartitionInfo> infos = consumer.partitionsFor(t);
                    if (infos != null) {
                        infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
                    }
                }
                c.targets = consumer.endOffsets(all);
            }
            if (reached(c.targets)) {
                c.reached = true;
                finished.add(c);
            }
        }
        for (CatchUp c : finished) {
            catchUps.remove(c);
            c.done.countDown();
        }
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        var assigned = consumer.assignment();
        for (Map.Entry<TopicPartition, Long> e : targets.entrySet()) {
            if (e.getValue() == 0) {
                continue;
            }
            if (!assigned.contains(e.getKey()) || consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until every record that was in the consumed topics when this was called has been written
     * to the outputs and committed.
     *
     * @return true when caught up, false on timeout or when the sink stopped first
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        if (!running || stopped.getCount() == 0) {
            return false;
        }
        CatchUp c = new CatchUp();
        catchUps.add(c);
        long deadline = System.nanoTime() + timeout.toNanos();
        // Short slices: if the consumer thread dies meanwhile, nobody would count this latch down.
        while (!c.done.await(100, TimeUnit.MILLISECONDS)) {
            if (stopped.getCount() == 0 || System.nanoTime() > deadline) {
                catchUps.remove(c);
                return false;
            }
        }
        return c.reached;
    }

    /** Energy totals across detector instances (all zero unless the energy topic is consumed). */
    public EnergyTotals energyTotals() {
        return pipeline.energyTotals();
    }

    /** Blocks until the sink stops (after {@link #close()} or a fatal output error). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** The error that stopped the sink, or null. */
    public Throwable failure() {
        return failure;
    }

    /** True while the consumer thread runs. */
    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    /** Stops consuming, flushes and closes the outputs. Offsets of written records are already committed. */
    @Override
    public void close() {
        running = false;
        pipeline.abandon(); // a flush waiting for an unreachable MQTT broker ends instead of holding up the stop
        if (stopped.getCount() > 0) {
            consumer.wakeup(); // the consumer is closed once the thread has stopped
        }
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("sink thread did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
