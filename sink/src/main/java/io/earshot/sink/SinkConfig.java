package io.earshot.sink;

import io.earshot.protocol.Topics;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * What a sink consumes and where it writes. Outputs combine freely; a service needs at
 * least one ({@link #requireAnOutput()}).
 *
 * @param kafka     Kafka client properties (bootstrap servers, security); consumer settings are added by
 *                  the service. Copied, so later changes to the caller's object do not leak in.
 * @param topics    topic names
 * @param groupId   consumer group; its committed offsets are where a restarted sink resumes
 * @param console   print one line per event start and end
 * @param jsonl     JSON Lines file of event records (start and end), or null
 * @param tsv       DCASE event list (closed events only), or null
 * @param scoresDir directory for per-source sed_scores_eval score tables (consumes the scores topic), or null
 * @param energy    consume the energy topic and aggregate totals across detector instances
 * @param mqtt      publish states, events and Home Assistant discovery to an MQTT broker, or null
 */
public record SinkConfig(Properties kafka, Topics topics, String groupId, boolean console, Path jsonl, Path tsv,
                         Path scoresDir, boolean energy, MqttConfig mqtt) {

    public static final String DEFAULT_GROUP_ID = "earshot-sink";

    public SinkConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(topics, "topics");
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("sink consumer group id must not be blank");
        }
        Properties copy = new Properties();
        copy.putAll(kafka);
        kafka = copy;
    }

    /** Without MQTT. */
    public SinkConfig(Properties kafka, Topics topics, String groupId, boolean console, Path jsonl, Path tsv,
                      Path scoresDir, boolean energy) {
        this(kafka, topics, groupId, console, jsonl, tsv, scoresDir, energy, null);
    }

    /** A sink for {@code bootstrapServers} with the default topics and group and no outputs yet. */
    public static SinkConfig forBootstrap(String bootstrapServers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        return new SinkConfig(p, Topics.defaults(), DEFAULT_GROUP_ID, false, null, null, null, false, null);
    }

    /** Fails with the flags to choose from when no output is selected. */
    public void requireAnOutput() {
        if (!console && jsonl == null && tsv == null && scoresDir == null && !energy && mqtt == null) {
            throw new IllegalArgumentException(
                    "the sink has nothing to do: choose at least one of --console, --jsonl, --tsv, --scores-dir, --energy, --mqtt");
        }
    }

    @Override
    public Properties kafka() {
        Properties copy = new Properties();
        copy.putAll(kafka);
        return copy;
    }

    public SinkConfig withConsole(boolean c) {
        return new SinkConfig(kafka, topics, groupId, c, jsonl, tsv, scoresDir, energy, mqtt);
    }

    public SinkConfig withTopics(Topics t) {
        return new SinkConfig(kafka, t, groupId, console, jsonl, tsv, scoresDir, energy, mqtt);
    }

    public SinkConfig withGroupId(String g) {
        return new SinkConfig(kafka, topics, g, console, jsonl, tsv, scoresDir, energy, mqtt);
    }

    public SinkConfig withJsonl(Path p) {
        return new SinkConfig(kafka, topics, groupId, console, p, tsv, scoresDir, energy, mqtt);
    }

    public SinkConfig withTsv(Path p) {
        return new SinkConfig(kafka, topics, groupId, console, jsonl, p, scoresDir, energy, mqtt);
    }

    public SinkConfig withScoresDir(Path p) {
        return new SinkConfig(kafka, topics, groupId, console, jsonl, tsv, p, energy, mqtt);
    }

    public SinkConfig withEnergy(boolean e) {
        return new SinkConfig(kafka, topics, groupId, console, jsonl, tsv, scoresDir, e, mqtt);
    }

    public SinkConfig withMqtt(MqttConfig m) {
        return new SinkConfig(kafka, topics, groupId, console, jsonl, tsv, scoresDir, energy, m);
    }

    /** True when the scores topic is consumed. */
    public boolean consumesScores() {
        return scoresDir != null;
    }
}
