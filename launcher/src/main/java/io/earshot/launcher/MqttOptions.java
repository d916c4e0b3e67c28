package io.earshot.launcher;

import io.earshot.sink.MqttConfig;
import io.earshot.sink.MqttCooldowns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The MQTT bridge's options of {@code earshot sink} (a picocli mixin); see docs/mqtt.md. */
public final class MqttOptions {

    @Option(names = "--mqtt", paramLabel = "URI",
            description = "Publish states, events and Home Assistant discovery to this MQTT broker: tcp://HOST:1883 or "
                    + "ssl://HOST:8883 (see docs/mqtt.md).")
    String uri;

    @Option(names = "--mqtt-user", paramLabel = "NAME", description = "MQTT user name.")
    String user;

    @Option(names = "--mqtt-password-file", paramLabel = "FILE",
            description = "File whose first line is the MQTT password (keeps it out of the process list).")
    Path passwordFile;

    @Option(names = "--mqtt-truststore", paramLabel = "FILE",
            description = "With ssl://: certificates to trust, PEM (CA file), PKCS#12 (.p12) or JKS (.jks) "
                    + "(default: the JVM's trusted CAs).")
    Path trustStore;

    @Option(names = "--mqtt-truststore-password-file", paramLabel = "FILE",
            description = "File with the password of a .p12/.jks trust store.")
    Path trustStorePasswordFile;

    @Option(names = "--mqtt-client-id", paramLabel = "ID",
            description = "MQTT client id (default: earshot-<consumer group>); unique per bridge.")
    String clientId;

    @Option(names = "--mqtt-topic-prefix", paramLabel = "PREFIX", defaultValue = MqttConfig.DEFAULT_TOPIC_PREFIX,
            description = "Prefix of every topic the bridge publishes (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--mqtt-discovery-prefix", paramLabel = "PREFIX", defaultValue = MqttConfig.DEFAULT_DISCOVERY_PREFIX,
            description = "Home Assistant discovery prefix (default: ${DEFAULT-VALUE}).")
    String discoveryPrefix;

    @Option(names = "--no-mqtt-discovery", description = "Publish no Home Assistant discovery messages.")
    boolean noDiscovery;

    @Option(names = "--mqtt-cooldown", paramLabel = "[LABEL=]SECONDS", split = ",",
            description = "No new notification of a label within SECONDS after it turned OFF (capture time). "
                    + "SECONDS alone for every label, LABEL=SECONDS for one; repeatable (default: 0, none).")
    List<String> cooldowns = new ArrayList<>();

    @Option(names = "--mqtt-labels", paramLabel = "LABEL", split = ",",
            description = "Announce these labels' sensors for every source as soon as it is seen "
                    + "(default: a label's sensor appears with its first event).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--mqtt-level-interval", paramLabel = "SECONDS",
            defaultValue = "" + MqttConfig.DEFAULT_LEVEL_INTERVAL_SECONDS,
            description = "Update a source's level sensor every SECONDS of audio (default: ${DEFAULT-VALUE}).")
    double levelInterval;

    /** The bridge's settings, or null without --mqtt; a dependent option without --mqtt is a usage error. */
    public MqttConfig config(String group) {
        if (uri == null) {
            if (user != null || passwordFile != null || trustStore != null || clientId != null || !cooldowns.isEmpty()
                    || !labels.isEmpty()) {
                throw new IllegalArgumentException("--mqtt-* options need --mqtt URI");
            }
            return null;
        }
        return new MqttConfig(uri, user, passwordFile, trustStore, trustStorePasswordFile,
                clientId != null ? clientId : "earshot-" + group, topicPrefix, noDiscovery ? null : discoveryPrefix,
                MqttCooldowns.parse(cooldowns), labels, levelInterval);
    }
}
