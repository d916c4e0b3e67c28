package io.earshot.ingest.replay;

import io.earshot.ingest.AudioChunkProducer;
import io.earshot.ingest.IngestMetrics;
import io.earshot.ingest.StreamIds;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays WAV files to the audio topic, each file its own source (id = prefix + file name) with a new
 * stream id, contiguous sample indices from 0 and a closing end-of-stream record.
 *
 * <p>Up to {@link ReplayConfig#parallelSources()} files play at once; with pacing, a chunk is sent
 * when a live source would have finished capturing it (scaled by the speed). A file that cannot be
 * opened or read gives one error line naming it and the others go on; a file that fails midway is
 * closed with an end-of-stream record after the audio already sent.
 *
 * <p>Used by {@code earshot ingest replay} and, in-process, by {@code earshot demo}. {@link #run()}
 * blocks; {@link #stop()} (from another thread) ends it early and cleanly.
 */
public final class ReplayJob {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayJob.class);

    private final ReplayConfig config;
    private final AudioChunkProducer producer;
    private final boolean ownsProducer;
    private volatile boolean stopRequested;

    private final AtomicLong chunksAcked = new AtomicLong();
    private double audioHandedOver; // run() thread only
    private final DoubleAdder audioAcked = new DoubleAdder();
    private final AtomicLong sendErrors = new AtomicLong();
    private final Set<String> sourcesWithErrors = ConcurrentHashMap.newKeySet();
    /** The first record Kafka refused: the replay stops there, since the next would most likely fail too. */
    private final AtomicReference<String> kafkaFailure = new AtomicReference<>();

    /** A job with its own producer built from Kafka client properties (closed when the job ends). */
    public ReplayJob(ReplayConfig config, Properties kafkaProperties, Topics topics, MeterRegistry registry) {
        this(config, new AudioChunkProducer(kafkaProperties, topics.audio(), new IngestMetrics(registry)), true);
    }

    /** A job that sends through a producer the caller owns (and closes). */
    public ReplayJob(ReplayConfig config, AudioChunkProducer producer) {
        this(config, producer, false);
    }

    private ReplayJob(ReplayConfig config, AudioChunkProducer producer, boolean ownsProducer) {
        this.config = config;
        this.producer = producer;
        this.ownsProducer = ownsProducer;
    }

    /** Asks a running {@link #run()} to close its open streams and return. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Replays everything, waits until Kafka acknowledged it, and says what happened.
     *
     * @throws KafkaException when Kafka does not accept a record (e.g. the broker stays unreachable
     *                        longer than {@code max.block.ms} or {@code delivery.timeout.ms}): the
     *                        replay stops at the first such record rather than fail every chunk in turn
     */
    public ReplaySummary run() {
        long startNanos = System.nanoTime();
        List<ReplaySummary.FileFailure> failures = new ArrayList<>();
        List<ReplaySummary.SourceResult> results = new ArrayList<>();
        ReplayFiles.Expansion expansion = ReplayFiles.expand(config.paths());
        expansion.failures().forEach(f -> fail(failures, f.file(), f.reason()));
        Deque<Path> queue = new ArrayDeque<>(expansion.files());
        int totalFiles = queue.size() + expansion.failures().size();
        Map<String, Path> sourceIds = new HashMap<>();
        List<FileReplaySource> active = new ArrayList<>();
        double audioClock = 0;
        long lastProgress = startNanos;
        LOG.info("replaying {} file(s) to {} at {}, {} ms chunks, {} Hz{}", expansion.files().size(), producer.topic(),
                config.pacing(), config.chunkMillis(), config.targetRate(),
                config.parallelSources() > 1 ? ", up to " + config.parallelSources() + " at once" : "");
        try {
            while (!stopRequested) {
                while (active.size() < config.parallelSources() && !queue.isEmpty()) {
                    FileReplaySource src = openSource(queue.poll(), sourceIds, audioClock, failures);
                    if (src != null) {
                        active.add(src);
                    }
                }
                if (active.isEmpty()) {
                    break;
                }
                FileReplaySource src = active.stream().min(Comparator.comparingDouble(FileReplaySource::dueAudioSeconds)).orElseThrow();
                double due = src.dueAudioSeconds();
                if (!waitUntil(startNanos + config.pacing().dueNanos(due))) {
                    break;
                }
                audioClock = Math.max(audioClock, due);
                AudioChunk chunk;
                try {
                    chunk = src.next();
                } catch (IOException | RuntimeException e) {
                    fail(failures, src.file(), "read error after " + seconds(src) + " s: " + e.getMessage());
                    send(src, src.endEarly());
                    finish(src, false, active, results);
                    continue;
                }
                send(src, chunk);
                if (kafkaFailure.get() != null) {
                    break;
                }
                if (chunk.endOfStream()) {
                    finish(src, true, active, results);
                }
                long now = System.nanoTime();
                if (!config.progressInterval().isZero() && now - lastProgress >= config.progressInterval().toNanos()) {
                    lastProgress = now;
                    logProgress(results.size(), failures.size(), totalFiles, startNanos);
                }
            }
            if (stopRequested && kafkaFailure.get() == null) {
                for (FileReplaySource src : List.copyOf(active)) {
                    send(src, src.endEarly());
                    finish(src, false, active, results);
                }
            }
            if (kafkaFailure.get() == null) {
                producer.flush();
            }
        } finally {
            for (FileReplaySource src : active) {
                closeQuietly(src);
            }
            if (ownsProducer) {
                producer.close(kafkaFailure.get() == null ? Duration.ofSeconds(30) : Duration.ZERO);
            }
        }
        if (kafkaFailure.get() != null) {
            throw new KafkaException(kafkaFailure.get());
        }
        ReplaySummary summary = new ReplaySummary(results, failures, chunksAcked.get(), audioAcked.sum(), sendErrors.get(),
                Duration.ofNanos(System.nanoTime() - startNanos), stopRequested || !queue.isEmpty());
        LOG.debug("replay done: {}", summary); // callers print or log the summary themselves
        return summary;
    }

    private FileReplaySource openSource(Path file, Map<String, Path> sourceIds, double audioClock,
                                        List<ReplaySummary.FileFailure> failures) {
        String sourceId = config.sourcePrefix() + file.getFileName();
        Path previous = sourceIds.putIfAbsent(sourceId, file);
        if (previous != null) {
            fail(failures, file, "source id '" + sourceId + "' is already used by " + previous + "; skipped");
            return null;
        }
        try {
            FileReplaySource src = FileReplaySource.open(file, sourceId, StreamIds.newStreamId(Instant.now()), config,
                    audioClock, currentMicros());
            src.reader().warnings().forEach(w -> LOG.warn("{}: {}", file, w));
            LOG.debug("source {} <- {} ({}), stream {}", sourceId, file, src.reader().format(), src.streamId());
            return src;
        } catch (IOException | RuntimeException e) {
            // WavFormatException messages already start with the file name.
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            fail(failures, file, msg.startsWith(file.toString()) ? msg.substring(file.toString().length()).replaceFirst("^: ", "") : msg);
            return null;
        }
    }

    private void send(FileReplaySource src, AudioChunk chunk) {
        if (chunk == null) {
            return;
        }
        String source = src.sourceId();
        audioHandedOver += chunk.durationSeconds();
        producer.send(source, chunk, (metadata, error) -> {
            if (error == null) {
                chunksAcked.incrementAndGet();
                audioAcked.add(chunk.durationSeconds());
            } else {
                sendErrors.incrementAndGet();
                kafkaFailure.compareAndSet(null, "Kafka did not accept audio of " + src.file() + " (source " + source
                        + ") on " + producer.topic() + ": " + error.getMessage());
                if (sourcesWithErrors.add(source)) { // one line per source, not one per chunk
                    LOG.error("Kafka did not accept chunk {} of source {} ({}): {}", chunk.sequence(), source, src.file(),
                            error.getMessage());
                }
            }
        });
    }

    private void finish(FileReplaySource src, boolean complete, List<FileReplaySource> active,
                        List<ReplaySummary.SourceResult> results) {
        active.remove(src);
        closeQuietly(src);
        results.add(new ReplaySummary.SourceResult(src.file(), src.sourceId(), src.streamId(), src.samplesSent(),
                src.chunksSent(), complete));
        if (complete) {
            producer.metrics().fileReplayed(true);
        }
    }

    private void fail(List<ReplaySummary.FileFailure> failures, Path file, String reason) {
        failures.add(new ReplaySummary.FileFailure(file, reason));
        producer.metrics().fileReplayed(false);
        LOG.error("cannot replay {}: {}", file, reason);
    }

    private void logProgress(int done, int failed, int total, long startNanos) {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        LOG.info(String.format("progress: %d/%d files done (%d failed), %.1f s of audio sent (%.1f s acknowledged) in %.1f s (%.1fx real time)",
                done, total, failed, audioHandedOver, audioAcked.sum(), wall, wall > 0 ? audioHandedOver / wall : 0));
    }

    /** Sleeps until {@code deadline} (System.nanoTime); false if the job was stopped meanwhile. */
    private boolean waitUntil(long deadlineNanos) {
        while (!stopRequested) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            LockSupport.parkNanos(Math.min(left, 50_000_000L));
            if (Thread.currentThread().isInterrupted()) {
                stopRequested = true;
            }
        }
        return false;
    }

    private String seconds(FileReplaySource src) {
        return String.format("%.2f", src.samplesSent() / (double) config.targetRate());
    }

    private static long currentMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static void closeQuietly(FileReplaySource src) {
        try {
            src.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", src.file(), e.toString());
        }
    }
}
