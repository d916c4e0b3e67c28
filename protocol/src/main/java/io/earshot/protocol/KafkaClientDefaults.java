package io.earshot.protocol;

import java.util.Properties;

/**
 * Kafka client settings every Earshot service starts from (the caller's own settings win).
 *
 * <p>While the broker is unreachable a Kafka client tries to reconnect after {@code reconnect.backoff.ms},
 * doubling up to {@code reconnect.backoff.max.ms} (by default 50 ms up to 1 s), and logs a warning on every
 * failed attempt: a line a second per client, for the whole outage. Starting at 1 s and capping at 10 s
 * keeps that to a line every 10 s per client after the first few, and a client finds a returning broker
 * within about 10 s. {@link KafkaOutageLog} (a metrics reporter) logs the outage itself: one line when it
 * starts, one every 10 s while it lasts, one when the broker is back; the launcher silences Kafka's own
 * per-attempt warnings.
 */
public final class KafkaClientDefaults {

    public static final String RECONNECT_BACKOFF_MS = "1000";
    public static final String RECONNECT_BACKOFF_MAX_MS = "10000";

    private KafkaClientDefaults() {
    }

    /** Adds the defaults that {@code props} does not set; returns {@code props}. */
    public static Properties applyTo(Properties props) {
        props.putIfAbsent("reconnect.backoff.ms", RECONNECT_BACKOFF_MS);
        props.putIfAbsent("reconnect.backoff.max.ms", RECONNECT_BACKOFF_MAX_MS);
        props.putIfAbsent("metric.reporters", KafkaOutageLog.class.getName());
        return props;
    }
}
