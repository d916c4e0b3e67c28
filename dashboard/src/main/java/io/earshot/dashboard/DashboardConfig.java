package io.earshot.dashboard;

import io.earshot.protocol.Topics;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * What a dashboard serves and reads.
 *
 * @param kafka           Kafka client properties (bootstrap servers, security)
 * @param topics          topic names
 * @param bindAddress     address the HTTP server listens on (127.0.0.1 by default: the page has no login)
 * @param port            HTTP port, 0 for any free one
 * @param detectorGroupId the detector's application id, whose committed offsets on the audio topic give its lag
 * @param history         how far back events and energy reports are read at start
 * @param pushInterval    how often each browser gets what changed (coalesced)
 */
public record DashboardConfig(Properties kafka, Topics topics, String bindAddress, int port, String detectorGroupId,
                              Duration history, Duration pushInterval) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Duration DEFAULT_HISTORY = Duration.ofMinutes(15);
    public static final Duration DEFAULT_PUSH_INTERVAL = Duration.ofMillis(200);

    public DashboardConfig {
        Objects.requireNonNull(kafka, "kafka properties");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(bindAddress, "bind address");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(pushInterval, "push interval");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("dashboard port must be in 0..65535, got " + port);
        }
        if (detectorGroupId == null || detectorGroupId.isBlank()) {
            throw new IllegalArgumentException("the detector's application id must not be blank");
        }
        if (history.isNegative()) {
            throw new IllegalArgumentException("history must not be negative: " + history);
        }
        if (pushInterval.toMillis() < 20) {
            throw new IllegalArgumentException("push interval must be at least 20 ms, got " + pushInterval.toMillis() + " ms");
        }
        Properties copy = new Properties();
        copy.putAll(kafka);
        kafka = copy;
    }

    @Override
    public Properties kafka() {
        Properties copy = new Properties();
        copy.putAll(kafka);
        return copy;
    }

    /** Defaults for everything but Kafka: 127.0.0.1:8080, detector group earshot-detector, 15 min of history, 5 pushes/s. */
    public static DashboardConfig defaults(Properties kafka, Topics topics) {
        return new DashboardConfig(kafka, topics, DEFAULT_BIND, DEFAULT_PORT, "earshot-detector", DEFAULT_HISTORY,
                DEFAULT_PUSH_INTERVAL);
    }

    public DashboardConfig withPort(int p) {
        return new DashboardConfig(kafka, topics, bindAddress, p, detectorGroupId, history, pushInterval);
    }

    public DashboardConfig withBind(String address) {
        return new DashboardConfig(kafka, topics, address, port, detectorGroupId, history, pushInterval);
    }

    public DashboardConfig withDetectorGroupId(String id) {
        return new DashboardConfig(kafka, topics, bindAddress, port, id, history, pushInterval);
    }

    public DashboardConfig withHistory(Duration d) {
        return new DashboardConfig(kafka, topics, bindAddress, port, detectorGroupId, d, pushInterval);
    }
}
