package io.earshot.broker;

/**
 * Default log levels for the in-process brokers (Kafka, MQTT) when the backend is slf4j-simple (the launcher's).
 *
 * <p>Kafka's server logs every partition state change and config dump at INFO, which would drown the
 * output of the services sharing the JVM. Each default is only set when the user has not set the same
 * system property, so {@code -Dorg.slf4j.simpleLogger.log.kafka=info} still wins. slf4j-simple reads
 * these properties when a logger is first created, so this runs before any Kafka server class loads.
 */
final class QuietKafkaLogging {

    private static final String PREFIX = "org.slf4j.simpleLogger.log.";
    private static final String[][] DEFAULTS = {
            {"state.change.logger", "warn"},
            {"kafka", "warn"},
            {"org.apache.kafka", "warn"},
            {"org.apache.kafka.common.utils.AppInfoParser", "warn"},
            // "controller activation" on every start is a routine event, not a warning for our users.
            {"org.apache.kafka.controller", "error"},
            // The embedded MQTT broker logs every connection and channel event at INFO.
            {"io.moquette", "warn"},
            {"io.netty", "warn"},
    };

    private QuietKafkaLogging() {
    }

    static void applyDefaults() {
        for (String[] entry : DEFAULTS) {
            String key = PREFIX + entry[0];
            if (System.getProperty(key) == null) {
                System.setProperty(key, entry[1]);
            }
        }
    }
}
