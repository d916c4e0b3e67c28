package io.earshot.sink;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The MQTT bridge's settings ({@code earshot sink --mqtt URI ...}, see docs/mqtt.md).
 *
 * @param serverUri          broker address: {@code tcp://HOST:1883} or {@code ssl://HOST:8883}
 * @param user               user name, or null for an anonymous connection
 * @param passwordFile       file whose first line is the password (kept out of the command line), or null
 * @param trustStore         for ssl://: certificates to trust (PEM, PKCS#12 or JKS), or null for the JVM's defaults
 * @param trustStorePasswordFile file with the trust store's password (PKCS#12/JKS), or null
 * @param clientId           MQTT client id; a second client with the same id makes the broker drop the first
 * @param topicPrefix        prefix of every topic the bridge publishes, e.g. {@code earshot/}
 * @param discoveryPrefix    Home Assistant discovery prefix ({@code homeassistant}), or null for no discovery
 * @param cooldowns          per-label quiet time after an OFF during which a new event is not notified
 * @param labels             labels whose sensors are announced for every source as soon as it is seen (empty: a
 *                           label's sensor appears with its first event)
 * @param levelIntervalSeconds how often a source's level sensor is updated, in seconds of audio
 */
public record MqttConfig(String serverUri, String user, Path passwordFile, Path trustStore, Path trustStorePasswordFile,
                         String clientId, String topicPrefix, String discoveryPrefix, MqttCooldowns cooldowns,
                         List<String> labels, double levelIntervalSeconds) {

    public static final String DEFAULT_TOPIC_PREFIX = "earshot/";
    public static final String DEFAULT_DISCOVERY_PREFIX = "homeassistant";
    public static final double DEFAULT_LEVEL_INTERVAL_SECONDS = 10;

    public MqttConfig {
        Objects.requireNonNull(serverUri, "serverUri");
        requireSupportedUri(serverUri);
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("MQTT client id must not be blank");
        }
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        if (!topicPrefix.isEmpty() && !topicPrefix.endsWith("/")) {
            topicPrefix = topicPrefix + "/";
        }
        if (topicPrefix.contains("+") || topicPrefix.contains("#")) {
            throw new IllegalArgumentException("MQTT topic prefix '" + topicPrefix + "' must not contain + or #");
        }
        if (discoveryPrefix != null && (discoveryPrefix.isBlank() || discoveryPrefix.contains("+")
                || discoveryPrefix.contains("#"))) {
            throw new IllegalArgumentException("Home Assistant discovery prefix '" + discoveryPrefix
                    + "' must be a topic without + or #");
        }
        if (discoveryPrefix != null && discoveryPrefix.endsWith("/")) {
            discoveryPrefix = discoveryPrefix.substring(0, discoveryPrefix.length() - 1);
        }
        cooldowns = cooldowns == null ? MqttCooldowns.NONE : cooldowns;
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (!(levelIntervalSeconds > 0)) {
            throw new IllegalArgumentException("MQTT level interval must be positive, got " + levelIntervalSeconds);
        }
        if (user == null && passwordFile != null) {
            throw new IllegalArgumentException("an MQTT password file needs a user name (--mqtt-user)");
        }
    }

    /** Defaults for {@code serverUri}: topics under earshot/, discovery under homeassistant, no cooldown. */
    public static MqttConfig forServer(String serverUri, String clientId) {
        return new MqttConfig(serverUri, null, null, null, null, clientId, DEFAULT_TOPIC_PREFIX,
                DEFAULT_DISCOVERY_PREFIX, MqttCooldowns.NONE, List.of(), DEFAULT_LEVEL_INTERVAL_SECONDS);
    }

    public MqttConfig withUser(String u, Path pwFile) {
        return new MqttConfig(serverUri, u, pwFile, trustStore, trustStorePasswordFile, clientId, topicPrefix,
                discoveryPrefix, cooldowns, labels, levelIntervalSeconds);
    }

    public MqttConfig withTrustStore(Path store, Path pwFile) {
        return new MqttConfig(serverUri, user, passwordFile, store, pwFile, clientId, topicPrefix, discoveryPrefix,
                cooldowns, labels, levelIntervalSeconds);
    }

    public MqttConfig withPrefixes(String topics, String discovery) {
        return new MqttConfig(serverUri, user, passwordFile, trustStore, trustStorePasswordFile, clientId, topics,
                discovery, cooldowns, labels, levelIntervalSeconds);
    }

    public MqttConfig withCooldowns(MqttCooldowns c) {
        return new MqttConfig(serverUri, user, passwordFile, trustStore, trustStorePasswordFile, clientId, topicPrefix,
                discoveryPrefix, c, labels, levelIntervalSeconds);
    }

    public MqttConfig withLabels(List<String> l) {
        return new MqttConfig(serverUri, user, passwordFile, trustStore, trustStorePasswordFile, clientId, topicPrefix,
                discoveryPrefix, cooldowns, l, levelIntervalSeconds);
    }

    public MqttConfig withLevelInterval(double seconds) {
        return new MqttConfig(serverUri, user, passwordFile, trustStore, trustStorePasswordFile, clientId, topicPrefix,
                discoveryPrefix, cooldowns, labels, seconds);
    }

    /** True for ssl:// addresses. */
    public boolean tls() {
        return serverUri.toLowerCase(Locale.ROOT).startsWith("ssl://");
    }

    private static void requireSupportedUri(String uri) {
        try {
            URI u = new URI(uri);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
                throw new IllegalArgumentException("MQTT broker address '" + uri
                        + "' must start with tcp:// or ssl:// (e.g. tcp://localhost:1883)");
            }
            if (u.getHost() == null) {
                throw new IllegalArgumentException("MQTT broker address '" + uri + "' has no host (e.g. tcp://localhost:1883)");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("MQTT broker address '" + uri + "' is not a URI: " + e.getMessage(), e);
        }
    }
}
