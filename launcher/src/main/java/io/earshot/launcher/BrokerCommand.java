package io.earshot.launcher;

import io.earshot.broker.AclRule;
import io.earshot.broker.BrokerConfig;
import io.earshot.broker.BrokerSecurity;
import io.earshot.broker.EmbeddedKafkaBroker;
import io.earshot.telemetry.MetricsEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code earshot broker}: a real single-node Kafka broker in this process until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run a single-node Apache Kafka broker (KRaft, broker + controller) in this process.",
                "Listens on loopback by default; Ctrl-C shuts it down cleanly. The data dir can be reused."})
public final class BrokerCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".earshot/broker",
            description = "Where the broker keeps its logs and metadata (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client listener port, 0 = any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = BrokerConfig.LOOPBACK,
            description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--advertised-host", paramLabel = "NAME",
            description = "Host name clients are told to connect to (default: the listen address, or 127.0.0.1 for 0.0.0.0).")
    String advertisedHost;

    @Option(names = "--broker-property", paramLabel = "KEY=VALUE",
            description = "Any Kafka broker setting, repeatable, e.g. --broker-property num.partitions=4.")
    Map<String, String> brokerProperties = new LinkedHashMap<>();

    @Option(names = "--keystore", paramLabel = "FILE",
            description = "The broker's TLS key and certificate (PKCS12 or JKS). Turns security on: clients must use "
                    + "SASL_SSL with a SCRAM-SHA-512 user, and ACLs decide what each user may do (docs/security.md).")
    Path keystore;

    @Option(names = "--keystore-password-file", paramLabel = "FILE",
            description = "File whose first line is the keystore's (and its key's) password.")
    Path keystorePasswordFile;

    @Option(names = "--truststore", paramLabel = "FILE",
            description = "Certificates the broker trusts: its own, or the CA that signed it.")
    Path truststore;

    @Option(names = "--truststore-password-file", paramLabel = "FILE",
            description = "File whose first line is the truststore's password.")
    Path truststorePasswordFile;

    @Option(names = "--scram-users", paramLabel = "FILE",
            description = "Properties file of user=password: the SCRAM-SHA-512 users (set on every start; users not "
                    + "listed are removed).")
    Path scramUsers;

    @Option(names = "--acls", paramLabel = "FILE",
            description = "ACL file, one 'PRINCIPAL OPERATION RESOURCE-TYPE NAME [literal|prefixed]' rule a line (set on "
                    + "every start; rules not listed are removed).")
    Path acls;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<EmbeddedKafkaBroker> started = new CompletableFuture<>();

    @Override
    public Integer call() throws Exception {
        BrokerConfig config = new BrokerConfig(dataDir, port).withHost(host, advertisedHost).withOverrides(brokerProperties);
        BrokerSecurity security = security();
        if (security != null) {
            config = config.withSecurity(security);
        }
        // Registered before the start, so that Ctrl-C during start-up still waits for a clean close.
        Thread hook = new Thread(this::stopAndWait, "earshot-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config);
             MetricsEndpoint metrics = common.metricsPort().isPresent() ? common.startMetrics("broker") : null) {
            spec.commandLine().getOut().printf("Kafka broker listening on %s%s (cluster %s, data dir %s)%s. Ctrl-C stops it.%n",
                    broker.bootstrapServers(), security == null ? ""
                            : " for SASL_SSL clients (SCRAM-SHA-512, " + security.scramUsers().size() + " user(s), "
                            + security.acls().size() + " ACL rule(s))",
                    broker.clusterId(), dataDir.toAbsolutePath().normalize(),
                    metrics == null ? "" : ", metrics on " + metrics.uri());
            spec.commandLine().getOut().flush();
            started.complete(broker);
            stopRequested.await();
        } catch (RuntimeException e) {
            started.completeExceptionally(e);
            throw e;
        } finally {
            if (started.isDone() && !started.isCompletedExceptionally()) {
                spec.commandLine().getOut().println("Kafka broker stopped.");
                spec.commandLine().getOut().flush();
            }
            stopped.countDown();
            removeHook(hook);
        }
        return Main.EXIT_OK;
    }

    /** The security settings, or null when none of the security options is given; all of them go together. */
    private BrokerSecurity security() {
        boolean any = keystore != null || keystorePasswordFile != null || truststore != null
                || truststorePasswordFile != null || scramUsers != null || acls != null;
        if (!any) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        if (keystore == null) {
            missing.add("--keystore");
        }
        if (keystorePasswordFile == null) {
            missing.add("--keystore-password-file");
        }
        if (truststore == null) {
            missing.add("--truststore");
        }
        if (truststorePasswordFile == null) {
            missing.add("--truststore-password-file");
        }
        if (scramUsers == null) {
            missing.add("--scram-users");
        }
        if (!missing.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "a secured broker also needs " + String.join(", ", missing)
                    + " (docs/security.md)");
        }
        return new BrokerSecurity(keystore, BrokerSecurity.readPasswordFile(keystorePasswordFile, "keystore password"),
                truststore, BrokerSecurity.readPasswordFile(truststorePasswordFile, "truststore password"),
                BrokerSecurity.loadUsers(scramUsers), acls == null ? List.of() : AclRule.load(acls));
    }

    /** Completes with the running broker once it accepts clients (for callers running this command in-process). */
    public CompletableFuture<EmbeddedKafkaBroker> started() {
        return started;
    }

    /** Asks the running command to shut the broker down; {@link #call()} then returns. */
    public void stop() {
        stopRequested.countDown();
    }

    /** On Ctrl-C: the JVM exits when the hooks end, so wait for the broker to finish closing. */
    private void stopAndWait() {
        stop();
        try {
            stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Already shutting down (Ctrl-C) or never registered: nothing to remove.
        }
    }
}
