package io.earshot.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * Turns one Kafka client's connection counters into at most one log line per interval while its broker
 * is unreachable. A failed connection attempt closes a channel that was never created, so
 * {@code connection-close-total} grows while {@code connection-creation-total} does not; two such
 * observations in a row (a single idle-connection close does not count) start an outage, a new connection
 * ends it.
 */
final class BrokerOutageTracker {

    private final long intervalMs;
    private double lastCloses = Double.NaN;
    private double lastCreations = Double.NaN;
    private int failingChecks;
    private long outageSinceMs = -1;
    private long lastLineMs;
    private long failedAttempts;

    BrokerOutageTracker(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** The line to log after this observation of the client's cumulative counters, if any. */
    Optional<String> observe(long nowMs, double closes, double creations) {
        if (Double.isNaN(lastCloses)) {
            lastCloses = closes;
            lastCreations = creations;
            return Optional.empty();
        }
        long newCloses = (long) (closes - lastCloses);
        boolean connected = creations > lastCreations;
        lastCloses = closes;
        lastCreations = creations;
        if (outageSinceMs >= 0) {
            failedAttempts += newCloses;
            if (connected) {
                String line = String.format(Locale.ROOT, "reached the Kafka broker again after %.0f s (%d failed "
                        + "connection attempts)", (nowMs - outageSinceMs) / 1000.0, failedAttempts);
                outageSinceMs = -1;
                failingChecks = 0;
                return Optional.of(line);
            }
            if (nowMs - lastLineMs >= intervalMs) {
                lastLineMs = nowMs;
                return Optional.of(String.format(Locale.ROOT, "still cannot reach the Kafka broker after %.0f s "
                        + "(%d failed connection attempts); retrying", (nowMs - outageSinceMs) / 1000.0, failedAttempts));
            }
            return Optional.empty();
        }
        if (connected || newCloses == 0) {
            failingChecks = connected ? 0 : failingChecks;
            return Optional.empty();
        }
        failedAttempts = failingChecks == 0 ? newCloses : failedAttempts + newCloses;
        if (++failingChecks < 2) {
            return Optional.empty();
        }
        outageSinceMs = nowMs;
        lastLineMs = nowMs;
        return Optional.of(String.format(Locale.ROOT, "cannot reach the Kafka broker (%d failed connection attempts); "
                + "retrying, with a line every %d s until it is back", failedAttempts, intervalMs / 1000));
    }
}
