package io.earshot.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller) running inside this JVM.
 *
 * <p>Used by the tests of every module, by {@code earshot broker} and by {@code earshot demo}. It is
 * configured for one node: replication factor 1 for every internal topic, so consumer groups,
 * transactions and exactly-once v2 work. The data directory can be reused: the cluster id is kept in
 * {@code <dataDir>/cluster.id}, so a restart on the same directory finds its topics and offsets again.
 *
 * <p>Note that Kafka's server halts the JVM on a fatal internal fault (for example a corrupt metadata log):
 * that is Kafka's own behaviour and deliberately left in place.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String SECURE_CLIENT_LISTENER = "SASL_SSL";
    /** With security on: the broker's own loopback listener (mutual TLS), for the requests it sends itself. */
    private static final String INTERNAL_LISTENER = "INTERNAL";
    static final String CLUSTER_ID_FILE = "cluster.id";

    private final BrokerConfig config;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String clusterId;
    private final int port;
    private boolean closed;

    private EmbeddedKafkaBroker(BrokerConfig config, KafkaRaftServer server, String bootstrapServers,
                                String clusterId, int port) {
        this.config = config;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.clusterId = clusterId;
        this.port = port;
    }

    /** Formats the data dir if needed and starts the broker; returns once it accepts clients. */
    public static EmbeddedKafkaBroker start(BrokerConfig config) {
        QuietKafkaLogging.applyDefaults();
        long t0 = System.nanoTime();
        int port = resolvePort(config.host(), config.port(), -1);
        int controllerPort = resolvePort(config.host(), config.controllerPort(), port);
        int internalPort = config.security() == null ? -1 : resolvePort(BrokerConfig.LOOPBACK, 0, port);
        Path logDir = config.dataDir().resolve("kraft");
        try {
            Files.createDirectories(logDir);
            String clusterId = loadOrCreateClusterId(config.dataDir());
            Properties props = brokerProperties(config, port, controllerPort, internalPort, logDir);
            KafkaConfig kafkaConfig = KafkaConfig.fromProps(props, false);
            format(kafkaConfig, clusterId, logDir);
            KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                shutdownQuietly(server);
                throw e;
            }
            String bootstrap = config.effectiveAdvertisedHost() + ":" + port;
            if (config.security() != null) {
                try {
                    SecuritySync.apply(config.security(), internalClientProperties(config.security(), internalPort));
                } catch (RuntimeException e) {
                    shutdownQuietly(server);
                    throw e;
                }
            }
            LOG.info("Kafka broker up at {}{} (cluster {}, data {}) in {} ms", bootstrap,
                    config.security() == null ? "" : " (SASL_SSL, SCRAM-SHA-512, ACLs)", clusterId,
                    config.dataDir(), (System.nanoTime() - t0) / 1_000_000);
            return new EmbeddedKafkaBroker(config, server, bootstrap, clusterId, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare broker data dir " + config.dataDir() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot format broker data dir " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }

    /** A loopback broker on a free port in a fresh temporary directory that is deleted on close. */
    public static EmbeddedKafkaBroker startTemporary() {
        try {
            Path dir = Files.createTempDirectory("earshot-broker-");
            return start(new BrokerConfig(dir, 0).deletingDataOnClose());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary broker data dir: " + e.getMessage(), e);
        }
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public int port() {
        return port;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Stops the broker and waits until it has shut down; deletes the data dir if so configured. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        shutdownQuietly(server);
        LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers, (System.nanoTime() - t0) / 1_000_000);
        if (config.deleteOnClose()) {
            deleteRecursively(config.dataDir());
        }
    }

    static Properties brokerProperties(BrokerConfig config, int port, int controllerPort, int internalPort, Path logDir) {
        String host = config.host();
        String controllerHost = BrokerConfig.isWildcard(host) ? BrokerConfig.LOOPBACK : host;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + controllerHost + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        if (config.security() == null) {
            p.put("listeners", CLIENT_LISTENER + "://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://" + controllerHost + ":" + controllerPort);
            p.put("advertised.listeners", CLIENT_LISTENER + "://" + config.effectiveAdvertisedHost() + ":" + port);
            p.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
            p.put("inter.broker.listener.name", CLIENT_LISTENER);
        } else {
            putSecurity(p, config, port, controllerHost, controllerPort, internalPort);
        }
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        // One node: every internal topic must make do with one replica, or groups and transactions stall.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner's default 128 MiB dedupe buffer dominates the heap of a small broker.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("auto.create.topics.enable", "true");
        p.putAll(config.overrides());
        return p;
    }

    /**
     * Clients: SASL_SSL with SCRAM-SHA-512. The broker itself: mutual TLS on loopback (controller and
     * internal listeners) with its own certificate, whose principal is the only super user.
     */
    private static void putSecurity(Properties p, BrokerConfig config, int port, String controllerHost,
                                    int controllerPort, int internalPort) {
        BrokerSecurity sec = config.security();
        p.put("listeners", SECURE_CLIENT_LISTENER + "://" + config.host() + ":" + port + ","
                + INTERNAL_LISTENER + "://" + BrokerConfig.LOOPBACK + ":" + internalPort + ","
                + CONTROLLER_LISTENER + "://" + controllerHost + ":" + controllerPort);
        p.put("advertised.listeners", SECURE_CLIENT_LISTENER + "://" + config.effectiveAdvertisedHost() + ":" + port + ","
                + INTERNAL_LISTENER + "://" + BrokerConfig.LOOPBACK + ":" + internalPort);
        p.put("listener.security.protocol.map", SECURE_CLIENT_LISTENER + ":SASL_SSL," + INTERNAL_LISTENER + ":SSL,"
                + CONTROLLER_LISTENER + ":SSL");
        p.put("inter.broker.listener.name", INTERNAL_LISTENER);
        p.put("ssl.keystore.location", sec.keystore().toAbsolutePath().toString());
        p.put("ssl.keystore.password", sec.keystorePassword());
        p.put("ssl.key.password", sec.keystorePassword());
        p.put("ssl.truststore.location", sec.truststore().toAbsolutePath().toString());
        p.put("ssl.truststore.password", sec.truststorePassword());
        for (String listener : new String[] {INTERNAL_LISTENER, CONTROLLER_LISTENER}) {
            String prefix = "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".";
            p.put(prefix + "ssl.client.auth", "required");
            // Loopback only and authenticated by certificate both ways: the certificate need not name 127.0.0.1.
            p.put(prefix + "ssl.endpoint.identification.algorithm", "");
        }
        p.put("ssl.endpoint.identification.algorithm", "");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", sec.brokerPrincipal());
        p.put("allow.everyone.if.no.acl.found", "false");
    }

    /** Admin client settings for the broker's own internal listener (its certificate, super user). */
    static Properties internalClientProperties(BrokerSecurity sec, int internalPort) {
        Properties p = new Properties();
        p.put("bootstrap.servers", BrokerConfig.LOOPBACK + ":" + internalPort);
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.location", sec.keystore().toAbsolutePath().toString());
        p.put("ssl.keystore.password", sec.keystorePassword());
        p.put("ssl.key.password", sec.keystorePassword());
        p.put("ssl.truststore.location", sec.truststore().toAbsolutePath().toString());
        p.put("ssl.truststore.password", sec.truststorePassword());
        p.put("ssl.endpoint.identification.algorithm", "");
        return p;
    }

    private static void format(KafkaConfig kafkaConfig, String clusterId, Path logDir) throws Exception {
        new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(kafkaConfig.metadataLogDir())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .addDirectory(logDir.toAbsolutePath().toString())
                // A directory formatted by an earlier run keeps its meta.properties (same cluster id).
                .setIgnoreFormatted(true)
                .run();
    }

    static String loadOrCreateClusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve(CLUSTER_ID_FILE);
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (id.isEmpty()) {
                throw new IOException("empty cluster id file " + file);
            }
            return id;
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    /** 0 = ask the OS for a free port; otherwise check the port is free, for a clear error before Kafka starts. */
    private static int resolvePort(String host, int requested, int avoid) {
        InetSocketAddress address;
        for (int attempt = 0; attempt < 10; attempt++) {
            address = new InetSocketAddress(bindAddress(host), requested);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(address);
                int port = socket.getLocalPort();
                if (port != avoid) {
                    return port;
                }
            } catch (IOException e) {
                throw new IllegalStateException("port " + requested + " on " + host + " is not available: " + e.getMessage(), e);
            }
            if (requested != 0) {
                break;
            }
        }
        throw new IllegalStateException("could not find a free port on " + host);
    }

    private static InetAddress bindAddress(String host) {
        try {
            return BrokerConfig.isWildcard(host) ? null : InetAddress.getByName(host);
        } catch (IOException e) {
            throw new IllegalArgumentException("unknown broker host '" + host + "': " + e.getMessage(), e);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("error while stopping the Kafka broker: {}", e.toString());
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete broker data dir {}: {}", dir, e.toString());
        }
    }
}
