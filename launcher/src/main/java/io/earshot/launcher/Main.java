package io.earshot.launcher;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of the {@code earshot} command: parses the command line and runs one subcommand. */
@Command(name = "earshot", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Streaming sound event detection on Apache Kafka.",
        subcommands = {
                BrokerCommand.class,
                IngestCommand.class,
                DetectCommand.class,
                SinkCommand.class,
                DashboardCommand.class,
                EvalCommand.class,
                DemoCommand.class,
                CommandLine.HelpCommand.class,
        },
        footer = {"", "Options can also come from a properties file (--config FILE, earshot.<option>=VALUE) "
                + "or the environment (EARSHOT_<OPTION>); flags win over the environment, which wins over the file.",
                "Exit codes: 0 success, 1 failure while running, 2 bad usage or configuration."})
public final class Main implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    /** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
    public static final int EXIT_INTERRUPTED = 130;

    @Spec
    CommandSpec spec;

    /** {@code earshot} without a subcommand: show what there is. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code; never calls System.exit (tests call this). */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        ConfigSources sources;
        try {
            sources = ConfigSources.of(args, env);
        } catch (ConfigSources.ConfigException e) {
            err.println("earshot: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        boolean verbose = verboseRequested(args, sources);
        if (verbose) {
            // Before any of our loggers exists: slf4j-simple fixes a logger's level when it is created.
            System.setProperty("org.slf4j.simpleLogger.log.io.earshot", "debug");
        }
        CommandLine cli = commandLine(sources);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorReporter(verbose));
        cli.setParameterExceptionHandler(ErrorReporter::usageError);
        return cli.execute(args);
    }

    /** The whole command tree, with options defaulting from {@code sources}. */
    public static CommandLine commandLine(ConfigSources sources) {
        return commandLine(new Main(), sources);
    }

    /** Any command object (tests use small ones) configured the way Main configures its own tree. */
    static CommandLine commandLine(Object command, ConfigSources sources) {
        CommandLine cli = new CommandLine(command, new Factory(sources));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setDefaultValueProvider(new EarshotDefaultProvider(sources));
        return cli;
    }

    static boolean verboseRequested(String[] args, ConfigSources sources) {
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("-v") || arg.equals("--verbose")) {
                return true;
            }
        }
        return Boolean.parseBoolean(sources.optionValue("--verbose"));
    }

    /** Gives KafkaOptions the configuration sources of this run; everything else is built as usual. */
    private static final class Factory implements IFactory {
        private final ConfigSources sources;
        private final IFactory fallback = CommandLine.defaultFactory();

        Factory(ConfigSources sources) {
            this.sources = sources;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == KafkaOptions.class) {
                return cls.cast(new KafkaOptions(sources));
            }
            return fallback.create(cls);
        }
    }

    /** The version from the jar manifest (set by Maven), or "dev" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"earshot " + (v == null ? "dev" : v),
                    "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
                            + " " + System.getProperty("os.arch")};
        }
    }
}
