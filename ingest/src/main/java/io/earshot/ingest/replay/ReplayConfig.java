package io.earshot.ingest.replay;

import io.earshot.ingest.ChunkSizing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a replay does.
 *
 * @param paths            WAV files and directories (searched recursively for *.wav), in order
 * @param sourcePrefix     source id = prefix + file name; empty by default
 * @param pacing           real time, scaled, or max speed
 * @param chunkMillis      audio per chunk, 10..10000 ms
 * @param targetRate       rate every source is resampled to, Hz
 * @param parallelSources  how many files replay at the same time (each its own source); 1 = one after another
 * @param progressInterval how often a progress line is logged; zero for none
 */
public record ReplayConfig(List<Path> paths, String sourcePrefix, Pacing pacing, int chunkMillis, int targetRate,
                           int parallelSources, Duration progressInterval) {

    public static final int DEFAULT_CHUNK_MILLIS = 100;
    public static final int DEFAULT_TARGET_RATE = 16_000;

    public ReplayConfig {
        paths = List.copyOf(paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("nothing to replay: give at least one WAV file or directory");
        }
        sourcePrefix = sourcePrefix == null ? "" : sourcePrefix;
        Objects.requireNonNull(pacing, "pacing");
        ChunkSizing.check(targetRate, chunkMillis);
        if (parallelSources < 1) {
            throw new IllegalArgumentException("parallel sources must be at least 1, got " + parallelSources);
        }
        Objects.requireNonNull(progressInterval, "progressInterval");
    }

    /** Defaults: no prefix, real time, 100 ms chunks, 16 kHz, one file at a time, progress every 10 s. */
    public static ReplayConfig of(List<Path> paths) {
        return new ReplayConfig(paths, "", Pacing.realTime(), DEFAULT_CHUNK_MILLIS, DEFAULT_TARGET_RATE, 1, Duration.ofSeconds(10));
    }

    public ReplayConfig withPacing(Pacing p) {
        return new ReplayConfig(paths, sourcePrefix, p, chunkMillis, targetRate, parallelSources, progressInterval);
    }

    public ReplayConfig withSourcePrefix(String prefix) {
        return new ReplayConfig(paths, prefix, pacing, chunkMillis, targetRate, parallelSources, progressInterval);
    }

    public ReplayConfig withChunkMillis(int ms) {
        return new ReplayConfig(paths, sourcePrefix, pacing, ms, targetRate, parallelSources, progressInterval);
    }

    public ReplayConfig withTargetRate(int rate) {
        return new ReplayConfig(paths, sourcePrefix, pacing, chunkMillis, rate, parallelSources, progressInterval);
    }

    public ReplayConfig withParallelSources(int n) {
        return new ReplayConfig(paths, sourcePrefix, pacing, chunkMillis, targetRate, n, progressInterval);
    }

    public ReplayConfig withProgressInterval(Duration interval) {
        return new ReplayConfig(paths, sourcePrefix, pacing, chunkMillis, targetRate, parallelSources, interval);
    }

    /** Samples per chunk at the target rate. */
    public int chunkSamples() {
        return ChunkSizing.chunkSamples(targetRate, chunkMillis);
    }
}
