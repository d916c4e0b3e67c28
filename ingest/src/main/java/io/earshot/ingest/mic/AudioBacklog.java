package io.earshot.ingest.mic;

import io.earshot.ingest.IngestMetrics;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captured audio waiting to be sent, bounded in samples. When the bound is passed the <b>oldest</b>
 * audio is dropped: a live detector gains more from the latest seconds than from stale ones. Every drop
 * is counted ({@code earshot_ingest_audio_dropped_seconds_total{reason="buffer_full"}}) and logged (the
 * first at once, then at most one summary line per {@value #LOG_EVERY_SECONDS} s), and the first block
 * after a drop is marked {@link Block#afterGap()} so the sender starts a new stream there.
 * Thread-safe: one capture thread adds, one sender thread takes.
 */
final class AudioBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(AudioBacklog.class);
    private static final int LOG_EVERY_SECONDS = 5;

    /**
     * Mono samples at the target rate.
     *
     * @param captureMicros capture time of the first sample, UTC epoch microseconds
     * @param afterGap      audio right before this block was lost
     */
    record Block(float[] samples, long captureMicros, boolean afterGap) {
        Block asAfterGap() {
            return afterGap ? this : new Block(samples, captureMicros, true);
        }
    }

    private final Deque<Block> blocks = new ArrayDeque<>();
    private final long capacitySamples;
    private final int sampleRate;
    private final String source;
    private final IngestMetrics metrics;
    private long samples;
    private long peakSamples;
    private boolean closed;
    private long droppedSamples;
    private long droppedSinceLog;
    private long lastDropLogNanos;

    AudioBacklog(long capacitySamples, int sampleRate, String source, IngestMetrics metrics) {
        if (capacitySamples <= 0) {
            throw new IllegalArgumentException("backlog capacity must be positive, got " + capacitySamples);
        }
        this.capacitySamples = capacitySamples;
        this.sampleRate = sampleRate;
        this.source = source;
        this.metrics = metrics;
        metrics.bufferFill(source, this::fillSeconds);
    }

    /** Appends a block, dropping the oldest audio if the bound is passed. */
    synchronized void add(Block block) {
        if (closed) {
            throw new IllegalStateException("backlog of " + source + " is closed");
        }
        blocks.addLast(block);
        samples += block.samples().length;
        trim();
        peakSamples = Math.max(peakSamples, samples);
        notifyAll();
    }

    /** The oldest block, waiting up to the timeout; null on timeout or when closed and empty. */
    synchronized Block poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (blocks.isEmpty() && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Block b = blocks.pollFirst();
        if (b != null) {
            samples -= b.samples().length;
        }
        return b;
    }

    /** No more blocks will be added; {@link #poll} returns null once the rest is taken. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean drained() {
        return closed && blocks.isEmpty();
    }

    /** Gives up everything still waiting (at shutdown, when Kafka stays unreachable); returns the samples dropped. */
    synchronized long dropAll(String reason) {
        long n = samples;
        if (n > 0) {
            metrics.audioDropped(source, reason, n / (double) sampleRate);
            droppedSamples += n;
            LOG.warn("source {}: gave up {} s of captured audio that could not be sent ({})", source,
                    String.format("%.2f", n / (double) sampleRate), reason);
        }
        blocks.clear();
        samples = 0;
        return n;
    }

    synchronized double fillSeconds() {
        return samples / (double) sampleRate;
    }

    /** The most audio that ever waited at once: how close an outage came to the bound. */
    synchronized double peakSeconds() {
        return peakSamples / (double) sampleRate;
    }

    synchronized long droppedSamples() {
        return droppedSamples;
    }

    private void trim() {
        long dropped = 0;
        while (samples > capacitySamples && blocks.size() > 1) {
            Block old = blocks.pollFirst();
            samples -= old.samples().length;
            dropped += old.samples().length;
        }
        if (dropped == 0) {
            return;
        }
        blocks.addFirst(blocks.pollFirst().asAfterGap());
        droppedSamples += dropped;
        droppedSinceLog += dropped;
        metrics.audioDropped(source, "buffer_full", dropped / (double) sampleRate);
        long now = System.nanoTime();
        if (lastDropLogNanos == 0 || now - lastDropLogNanos >= TimeUnit.SECONDS.toNanos(LOG_EVERY_SECONDS)) {
            LOG.warn("source {}: capture backlog full ({} s); dropped the oldest {} s of audio (total dropped {} s)", source,
                    String.format("%.1f", capacitySamples / (double) sampleRate), String.format("%.2f", droppedSinceLog / (double) sampleRate),
                    String.format("%.2f", droppedSamples / (double) sampleRate));
            droppedSinceLog = 0;
            lastDropLogNanos = now;
        }
    }
}
