package io.earshot.launcher;

import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies option defaults from the environment and the properties file, so that every single-valued
 * option of every command can also be set as {@code EARSHOT_<OPTION>} or {@code earshot.<option>}.
 * Options without a value there keep their annotated default.
 */
final class EarshotDefaultProvider implements IDefaultValueProvider {

    /** Options that KafkaOptions merges itself, because they combine with Kafka properties. */
    private static final Set<String> MERGED_ELSEWHERE = Set.of(
            KafkaOptions.BOOTSTRAP_OPTION, KafkaOptions.KAFKA_OPTION, ConfigSources.CONFIG_OPTION);

    private final ConfigSources sources;

    EarshotDefaultProvider(ConfigSources sources) {
        this.sources = sources;
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || option.isMultiValue() || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String name = option.longestName();
        if (!name.startsWith("--") || MERGED_ELSEWHERE.contains(name)) {
            return null;
        }
        // null keeps the option's annotated default.
        return sources.optionValue(name);
    }
}
