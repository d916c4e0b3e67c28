package io.earshot.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to run an {@link EmbeddedKafkaBroker}.
 *
 * @param dataDir          where the broker keeps its logs and KRaft metadata; reused across restarts
 * @param port             client listener port; 0 picks a free port
 * @param host             interface the listeners bind to; loopback unless the broker must be reachable
 *                         from other machines ({@code 0.0.0.0} binds every interface)
 * @param advertisedHost   host name clients are told to connect to; null means {@code host}, or the
 *                         loopback address when {@code host} is a wildcard
 * @param controllerPort   KRaft controller listener port; 0 picks a free port
 * @param overrides        extra broker properties, applied last (any Kafka broker setting)
 * @param deleteOnClose    delete {@code dataDir} when the broker closes (for temporary brokers)
 * @param security         null for a PLAINTEXT listener without authentication; else the client listener is
 *                         SASL_SSL with SCRAM users and ACLs
 */
public record BrokerConfig(Path dataDir, int port, String host, String advertisedHost, int controllerPort,
                           Map<String, String> overrides, boolean deleteOnClose, BrokerSecurity security) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 9092;

    public BrokerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(host, "host");
        requirePort(port, "port");
        requirePort(controllerPort, "controllerPort");
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("broker and controller ports must differ: " + port);
        }
        overrides = Map.copyOf(overrides);
    }

    /** A loopback broker on {@code port} (0 = any free port) keeping its data in {@code dataDir}. */
    public BrokerConfig(Path dataDir, int port) {
        this(dataDir, port, LOOPBACK, null, 0, Map.of(), false, null);
    }

    public BrokerConfig withOverrides(Map<String, String> extra) {
        return new BrokerConfig(dataDir, port, host, advertisedHost, controllerPort, extra, deleteOnClose, security);
    }

    public BrokerConfig withHost(String bindHost, String advertised) {
        return new BrokerConfig(dataDir, port, bindHost, advertised, controllerPort, overrides, deleteOnClose, security);
    }

    public BrokerConfig deletingDataOnClose() {
        return new BrokerConfig(dataDir, port, host, advertisedHost, controllerPort, overrides, true, security);
    }

    /** The same broker with a SASL_SSL client listener, SCRAM users and ACLs. */
    public BrokerConfig withSecurity(BrokerSecurity sasl) {
        return new BrokerConfig(dataDir, port, host, advertisedHost, controllerPort, overrides, deleteOnClose, sasl);
    }

    /** The host clients should use: the advertised host, else the bind host unless it is a wildcard. */
    public String effectiveAdvertisedHost() {
        if (advertisedHost != null && !advertisedHost.isBlank()) {
            return advertisedHost;
        }
        return isWildcard(host) ? LOOPBACK : host;
    }

    static boolean isWildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    }

    private static void requirePort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " must be between 0 and 65535, got " + port);
        }
    }
}
