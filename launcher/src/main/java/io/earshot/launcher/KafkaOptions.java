package io.earshot.launcher;

import io.earshot.protocol.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Kafka connection options shared by every command that talks to Kafka (a picocli mixin).
 *
 * <p>Kafka client properties are merged from, lowest precedence first: the built-in default
 * {@code bootstrap.servers=localhost:9092}, the {@code --config} properties file, the environment
 * ({@code EARSHOT_KAFKA_<PROPERTY>}, {@code EARSHOT_BOOTSTRAP_SERVER}), {@code --kafka KEY=VALUE} flags
 * and finally {@code --bootstrap-server}.
 */
public final class KafkaOptions {

    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    static final String BOOTSTRAP_OPTION = "--bootstrap-server";
    static final String KAFKA_OPTION = "--kafka";
    static final String BOOTSTRAP_ENV = "EARSHOT_BOOTSTRAP_SERVER";

    @Option(names = BOOTSTRAP_OPTION, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Kafka bootstrap servers (default: localhost:9092; env EARSHOT_BOOTSTRAP_SERVER).")
    String bootstrapServer;

    @Option(names = KAFKA_OPTION, paramLabel = "KEY=VALUE",
            description = "Any Kafka client property, repeatable, e.g. --kafka security.protocol=SASL_SSL "
                    + "(env EARSHOT_KAFKA_<PROPERTY>, e.g. EARSHOT_KAFKA_SECURITY_PROTOCOL).")
    Map<String, String> kafka = new LinkedHashMap<>();

    @Option(names = ConfigSources.CONFIG_OPTION, paramLabel = "FILE",
            description = "Properties file: Kafka client properties as is, Earshot options as earshot.<option> "
                    + "(env EARSHOT_CONFIG). Flags override the environment, which overrides the file.")
    Path configFile;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
            description = "Prefix of every topic name, used verbatim (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    /** Injected by Main's factory; commands built without it read the real environment. */
    private ConfigSources sources;

    public KafkaOptions() {
    }

    KafkaOptions(ConfigSources sources) {
        this.sources = sources;
    }

    /** The merged Kafka client properties; callers add their own serializer and group settings. */
    public Properties kafkaProperties() {
        ConfigSources src = sources();
        Properties props = new Properties();
        props.put("bootstrap.servers", DEFAULT_BOOTSTRAP);
        props.putAll(src.kafkaPropertiesFromFile());
        String envBootstrap = src.env().get(BOOTSTRAP_ENV);
        if (envBootstrap != null && !envBootstrap.isBlank()) {
            props.put("bootstrap.servers", envBootstrap);
        }
        props.putAll(src.kafkaPropertiesFromEnv());
        props.putAll(kafka);
        if (bootstrapServer != null) {
            props.put("bootstrap.servers", bootstrapServer);
        }
        return props;
    }

    /** The bootstrap servers after all sources are merged. */
    public String bootstrapServers() {
        return kafkaProperties().getProperty("bootstrap.servers");
    }

    /** Topic names under the configured prefix. */
    public Topics topics() {
        return Topics.withPrefix(topicPrefix == null ? Topics.DEFAULT_PREFIX : topicPrefix);
    }

    private ConfigSources sources() {
        if (sources == null) {
            sources = configFile == null
                    ? ConfigSources.of(new String[0], System.getenv())
                    : new ConfigSources(System.getenv(), configFile, ConfigSources.load(configFile));
        }
        return sources;
    }
}
