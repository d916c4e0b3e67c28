package io.earshot.ingest.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a replay did.
 *
 * @param sources     every stream that was started, in start order
 * @param failures    files that could not be replayed (or not completely), with the reason
 * @param chunksSent  records acknowledged by Kafka (end-of-stream records included)
 * @param audioSeconds audio acknowledged by Kafka
 * @param sendErrors  records Kafka did not take
 * @param wallTime    how long the replay took
 * @param stopped     true if the replay was stopped before every file was sent
 */
public record ReplaySummary(List<SourceResult> sources, List<FileFailure> failures, long chunksSent, double audioSeconds,
                            long sendErrors, Duration wallTime, boolean stopped) {

    public ReplaySummary {
        sources = List.copyOf(sources);
        failures = List.copyOf(failures);
    }

    /** True when every file was replayed completely and Kafka acknowledged every record. */
    public boolean ok() {
        return failures.isEmpty() && sendErrors == 0 && !stopped;
    }

    /** Audio seconds per wall-clock second. */
    public double speed() {
        double wall = wallTime.toNanos() / 1e9;
        return wall <= 0 ? 0 : audioSeconds / wall;
    }

    /**
     * One replayed stream.
     *
     * @param file       the WAV file
     * @param sourceId   record key
     * @param streamId   stream id in the chunk headers
     * @param samples    samples sent at the target rate
     * @param chunks     records sent, the end-of-stream record included
     * @param complete   whether the whole file was sent and the stream closed normally
     */
    public record SourceResult(Path file, String sourceId, String streamId, long samples, long chunks, boolean complete) {
    }

    /** A file that could not be replayed: the reason is one line naming the problem. */
    public record FileFailure(Path file, String reason) {
        @Override
        public String toString() {
            return file + ": " + reason;
        }
    }

    @Override
    public String toString() {
        return String.format("%d file(s) replayed, %d failed, %.1f s of audio in %d chunks, %.1f s wall (%.1fx real time)%s%s",
                sources.stream().filter(SourceResult::complete).count(), failures.size(), audioSeconds, chunksSent,
                wallTime.toNanos() / 1e9, speed(), sendErrors > 0 ? ", " + sendErrors + " send errors" : "",
                stopped ? ", stopped early" : "");
    }
}
