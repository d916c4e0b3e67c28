package io.earshot.broker;

import io.moquette.broker.Server;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBuf;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.AcceptAllAuthenticator;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.PermitAllAuthorizatorPolicy;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MQTT 3.1.1 broker (Eclipse Moquette) inside this JVM: what the MQTT bridge's tests publish to and
 * what {@code earshot demo --mqtt} starts when no broker is named. Messages, retained ones included, live in
 * memory: a restart forgets them, which is what the bridge's reconnect test relies on.
 *
 * <p>Optionally it asks for a user name and password, and serves TLS on a second port from a key store.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);

    /**
     * What to start.
     *
     * @param host     interface to listen on (127.0.0.1 for loopback only)
     * @param port     plain MQTT port, 0 for a free one
     * @param user     required user name, or null to accept anonymous clients
     * @param password the user's password (ignored without a user)
     * @param keyStore PKCS#12 or JKS key store with the server's key and certificate for TLS, or null for no TLS
     * @param keyStorePassword its password
     * @param tlsPort  TLS port (0 for a free one) when a key store is given
     */
    public record Options(String host, int port, String user, String password, Path keyStore, String keyStorePassword,
                          int tlsPort) {

        /** Anonymous, plain MQTT on a free loopback port. */
        public static Options loopback() {
            return new Options(BrokerConfig.LOOPBACK, 0, null, null, null, null, 0);
        }

        public Options withPort(int p) {
            return new Options(host, p, user, password, keyStore, keyStorePassword, tlsPort);
        }

        public Options withUser(String u, String pw) {
            return new Options(host, port, u, pw, keyStore, keyStorePassword, tlsPort);
        }

        public Options withTls(Path store, String storePassword, int p) {
            return new Options(host, port, user, password, store, storePassword, p);
        }
    }

    private final Server server;
    private final Options options;

    private EmbeddedMqttBroker(Server server, Options options) {
        this.server = server;
        this.options = options;
    }

    /** Starts an anonymous broker on a free loopback port. */
    public static EmbeddedMqttBroker startTemporary() {
        return start(Options.loopback());
    }

    /** A message a client published, as the broker received it. */
    public record Published(String clientId, String topic, byte[] payload, boolean retained) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Starts the broker; returns once it accepts connections. Ports of 0 are resolved to free ones first. */
    public static EmbeddedMqttBroker start(Options requested) {
        return start(requested, null);
    }

    /**
     * As {@link #start(Options)}, telling {@code listener} (on a broker thread) of every message a client
     * publishes: what arrived, whoever subscribed.
     */
    public static EmbeddedMqttBroker start(Options requested, Consumer<Published> listener) {
        QuietKafkaLogging.applyDefaults();
        Options o = new Options(requested.host(), freePortIfZero(requested.host(), requested.port()), requested.user(),
                requested.password(), requested.keyStore(), requested.keyStorePassword(),
                requested.keyStore() == null ? 0 : freePortIfZero(requested.host(), requested.tlsPort()));
        Properties p = new Properties();
        p.setProperty("host", o.host());
        p.setProperty("port", Integer.toString(o.port()));
        p.setProperty("persistence_enabled", "false");
        // Moquette would otherwise report usage to its authors over the network.
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("allow_anonymous", Boolean.toString(o.user() == null));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("netty.mqtt.message_size", Integer.toString(256 * 1024));
        if (o.keyStore() != null) {
            p.setProperty("ssl_port", Integer.toString(o.tlsPort()));
        }
        IAuthenticator auth = o.user() == null ? new AcceptAllAuthenticator() : new SingleUser(o.user(), o.password());
        Server server = new Server();
        try {
            List<InterceptHandler> handlers = listener == null ? List.of() : List.of(new AbstractInterceptHandler() {
                @Override
                public String getID() {
                    return "earshot-listener";
                }

                @Override
                public void onSessionLoopError(Throwable error) {
                    LOG.warn("MQTT broker session error: {}", error.toString());
                }

                @Override
                public void onPublish(InterceptPublishMessage msg) {
                    ByteBuf buf = msg.getPayload();
                    try {
                        byte[] bytes = new byte[buf.readableBytes()];
                        buf.getBytes(buf.readerIndex(), bytes);
                        listener.accept(new Published(msg.getClientID(), msg.getTopicName(), bytes, msg.isRetainFlag()));
                    } finally {
                        buf.release(); // each handler gets its own retained duplicate
                    }
                }
            });
            server.startServer(new MemoryConfig(p), handlers, o.keyStore() == null ? null : () -> sslContext(o), auth,
                    new PermitAllAuthorizatorPolicy());
        } catch (IOException e) {
            throw new UncheckedIOException("MQTT broker could not start on " + o.host() + ":" + o.port(), e);
        } catch (RuntimeException e) {
            // A port in use surfaces here (from Netty's bind); release what had started.
            try {
                server.stopServer();
            } catch (RuntimeException ignored) {
                // it never fully started
            }
            throw new IllegalStateException("MQTT broker could not listen on " + o.host() + ":" + o.port()
                    + (o.keyStore() == null ? "" : " / " + o.tlsPort()) + ": " + e.getMessage(), e);
        }
        LOG.info("MQTT broker up at tcp://{}:{}{}", o.host(), o.port(),
                o.keyStore() == null ? "" : " and ssl://" + o.host() + ":" + o.tlsPort());
        return new EmbeddedMqttBroker(server, o);
    }

    /** The plain address, e.g. tcp://127.0.0.1:1883. */
    public String uri() {
        return "tcp://" + options.host() + ":" + options.port();
    }

    /** The TLS address, e.g. ssl://127.0.0.1:8883 (only when started with a key store). */
    public String tlsUri() {
        if (options.keyStore() == null) {
            throw new IllegalStateException("this MQTT broker was started without TLS");
        }
        return "ssl://" + options.host() + ":" + options.tlsPort();
    }

    /** The options it runs with, ports resolved: start a new broker with them to "restart" on the same ports. */
    public Options options() {
        return options;
    }

    @Override
    public void close() {
        server.stopServer();
    }

    private static SslContext sslContext(Options o) {
        try (InputStream in = Files.newInputStream(o.keyStore())) {
            char[] pw = o.keyStorePassword() == null ? new char[0] : o.keyStorePassword().toCharArray();
            String name = o.keyStore().getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            KeyStore ks = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, pw);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            return SslContextBuilder.forServer(kmf).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("MQTT broker key store " + o.keyStore() + " unusable: " + e.getMessage(), e);
        }
    }

    private static int freePortIfZero(String host, int port) {
        if (port != 0) {
            return port;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }

    /** One user with one password, compared in constant time. */
    private record SingleUser(String user, String password) implements IAuthenticator {
        @Override
        public boolean checkValid(String clientId, String username, byte[] pw) {
            return user.equals(username) && pw != null && MessageDigest.isEqual(
                    password.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(pw, pw.length));
        }
    }
}
