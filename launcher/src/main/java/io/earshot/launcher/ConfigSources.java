package io.earshot.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The two configuration sources besides flags: an optional properties file and the environment.
 *
 * <p>Precedence, lowest first: properties file, environment, command-line flags. The file holds Kafka
 * client properties verbatim ({@code security.protocol=SASL_SSL}) and Earshot options under the
 * {@code earshot.} prefix with the long option name ({@code earshot.topic-prefix=lab1.}). In the
 * environment, {@code EARSHOT_<OPTION>} sets an option ({@code EARSHOT_CHUNK_MS=100}) and
 * {@code EARSHOT_KAFKA_<PROPERTY>} a Kafka property ({@code EARSHOT_KAFKA_SECURITY_PROTOCOL}).
 *
 * @param env        environment variables
 * @param configFile the properties file, or null when none was given
 * @param file       its contents (empty without a file)
 */
public record ConfigSources(Map<String, String> env, Path configFile, Properties file) {

    public static final String CONFIG_OPTION = "--config";
    public static final String CONFIG_ENV = "EARSHOT_CONFIG";
    public static final String ENV_PREFIX = "EARSHOT_";
    public static final String KAFKA_ENV_PREFIX = "EARSHOT_KAFKA_";
    public static final String OPTION_KEY_PREFIX = "earshot.";

    public ConfigSources {
        env = Map.copyOf(env);
        Properties copy = new Properties();
        copy.putAll(file);
        file = copy;
    }

    /** Sources for a run: the file named by {@code --config} in {@code args}, else by $EARSHOT_CONFIG. */
    public static ConfigSources of(String[] args, Map<String, String> env) {
        String path = findConfigArgument(args);
        if (path == null) {
            path = env.get(CONFIG_ENV);
        }
        if (path == null || path.isBlank()) {
            return new ConfigSources(env, null, new Properties());
        }
        Path file = Path.of(path);
        return new ConfigSources(env, file, load(file));
    }

    /** The environment only, no file. */
    public static ConfigSources environment(Map<String, String> env) {
        return new ConfigSources(env, null, new Properties());
    }

    /**
     * The value of {@code --config} in the raw arguments. Found before parsing because the file
     * supplies default values for the parse itself.
     */
    static String findConfigArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                return null;
            }
            if (args[i].equals(CONFIG_OPTION) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(CONFIG_OPTION + "=")) {
                return args[i].substring(CONFIG_OPTION.length() + 1);
            }
        }
        return null;
    }

    static Properties load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a file");
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return props;
    }

    /** The file's or environment's value for a long option such as {@code --chunk-ms}; env wins. */
    public String optionValue(String longOptionName) {
        String bare = longOptionName.replaceFirst("^-+", "");
        String fromEnv = env.get(envName(bare));
        return fromEnv != null ? fromEnv : file.getProperty(OPTION_KEY_PREFIX + bare);
    }

    /** {@code chunk-ms} -> {@code EARSHOT_CHUNK_MS}. */
    static String envName(String bareOptionName) {
        return ENV_PREFIX + bareOptionName.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** Kafka properties from the file: every key outside the {@code earshot.} namespace. */
    public Properties kafkaPropertiesFromFile() {
        Properties kafka = new Properties();
        for (String key : file.stringPropertyNames()) {
            if (!key.startsWith(OPTION_KEY_PREFIX)) {
                kafka.put(key, file.getProperty(key));
            }
        }
        return kafka;
    }

    /** Kafka properties from {@code EARSHOT_KAFKA_<PROP>} variables: {@code _} becomes {@code .}, lower case. */
    public Properties kafkaPropertiesFromEnv() {
        Properties kafka = new Properties();
        env.forEach((name, value) -> {
            if (name.startsWith(KAFKA_ENV_PREFIX) && name.length() > KAFKA_ENV_PREFIX.length()) {
                String key = name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
                kafka.put(key, value);
            }
        });
        return kafka;
    }

    /** A configuration problem the user must fix; reported as a usage error (exit code 2). */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
