package io.earshot.ingest.mic;

import io.earshot.ingest.ChunkSizing;
import java.time.Duration;
import java.util.Objects;

/**
 * What a microphone capture does.
 *
 * @param deviceName     capture device (exact name, or a unique part of it); null for the first one
 * @param sourceId       source id (record key)
 * @param targetRate     rate sent to Kafka, Hz
 * @param chunkMillis    audio per chunk, 10..10000 ms
 * @param backlog        how much captured audio is kept while Kafka is unreachable; past it the oldest is dropped
 * @param maxInFlight    chunks handed to the producer but not yet acknowledged, at most
 * @param drainTimeout   at stop, how long to keep trying to send what is still buffered
 */
public record MicConfig(String deviceName, String sourceId, int targetRate, int chunkMillis, Duration backlog,
                        int maxInFlight, Duration drainTimeout) {

    public static final Duration DEFAULT_BACKLOG = Duration.ofMinutes(5);

    public MicConfig {
        Objects.requireNonNull(sourceId, "sourceId");
        if (sourceId.isBlank()) {
            throw new IllegalArgumentException("source id must not be blank");
        }
        ChunkSizing.check(targetRate, chunkMillis);
        if (backlog.toMillis() < chunkMillis) {
            throw new IllegalArgumentException("backlog (" + backlog.toMillis() + " ms) must hold at least one chunk (" + chunkMillis + " ms)");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in flight must be at least 1, got " + maxInFlight);
        }
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /** Defaults: first device, 16 kHz, 100 ms chunks, 5 min backlog, 50 chunks in flight, 10 s drain. */
    public static MicConfig of(String sourceId) {
        return new MicConfig(null, sourceId, 16_000, 100, DEFAULT_BACKLOG, 50, Duration.ofSeconds(10));
    }

    public MicConfig withDevice(String name) {
        return new MicConfig(name, sourceId, targetRate, chunkMillis, backlog, maxInFlight, drainTimeout);
    }

    public MicConfig withBacklog(Duration d) {
        return new MicConfig(deviceName, sourceId, targetRate, chunkMillis, d, maxInFlight, drainTimeout);
    }

    public MicConfig withChunkMillis(int ms) {
        return new MicConfig(deviceName, sourceId, targetRate, ms, backlog, maxInFlight, drainTimeout);
    }

    public MicConfig withTargetRate(int rate) {
        return new MicConfig(deviceName, sourceId, rate, chunkMillis, backlog, maxInFlight, drainTimeout);
    }

    public MicConfig withMaxInFlight(int n) {
        return new MicConfig(deviceName, sourceId, targetRate, chunkMillis, backlog, n, drainTimeout);
    }

    public MicConfig withDrainTimeout(Duration d) {
        return new MicConfig(deviceName, sourceId, targetRate, chunkMillis, backlog, maxInFlight, d);
    }

    public int chunkSamples() {
        return ChunkSizing.chunkSamples(targetRate, chunkMillis);
    }

    public long backlogSamples() {
        return Math.max(chunkSamples(), Math.round(backlog.toNanos() / 1e9 * targetRate));
    }
}
