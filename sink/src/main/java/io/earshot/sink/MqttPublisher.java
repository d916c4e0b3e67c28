package io.earshot.sink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT connection of the bridge (Eclipse Paho, QoS 1). Two jobs:
 * <ul>
 *   <li>{@link #publishAndWait(List)}: publishes messages in order and returns only when the broker has
 *       acknowledged every one (PUBACK). A message whose delivery failed or timed out is published again,
 *       together with everything after it, once the client is connected again; so the caller (the sink's
 *       consumer thread, which commits Kafka offsets afterwards) never moves past an unacknowledged message.</li>
 *   <li>Retained messages (states, discovery, levels) are remembered by topic; after every (re)connect, and when
 *       Home Assistant announces that it restarted, they are published again, because a broker that restarted
 *       without persistence has forgotten them.</li>
 * </ul>
 * The broker publishes the last will ({@code offline} on the availability topic) when the connection drops.
 */
final class MqttPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttPublisher.class);
    static final String ONLINE = "online";
    static final String OFFLINE = "offline";
    private static final int QOS = 1;
    /** Messages in flight at once; paho refuses more than its max-inflight setting. */
    private static final int WINDOW = 256;
    private static final long ACK_TIMEOUT_MS = 10_000;
    private static final long CONNECT_TIMEOUT_MS = 15_000;

    /** One message: what and where. */
    record Message(String topic, byte[] payload, boolean retained, String kind) {
        static Message text(String topic, String payload, boolean retained, String kind) {
            return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), retained, kind);
        }
    }

    private final MqttConfig config;
    private final MqttTopics topics;
    private final MqttMetrics metrics;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    /** The latest retained message per topic, in first-publication order; guarded by {@code this}. */
    private final Map<String, Message> retained = new LinkedHashMap<>();
    private final ExecutorService republisher;
    private volatile boolean abandoned;

    MqttPublisher(MqttConfig config, MqttTopics topics, MqttMetrics metrics) throws IOException {
        this.config = config;
        this.topics = topics;
        this.metrics = metrics;
        this.options = connectOptions(config, topics);
        try {
            this.client = new MqttAsyncClient(config.serverUri(), config.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IOException("MQTT client for " + config.serverUri() + " could not be created: " + e.getMessage(), e);
        }
        this.republisher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "earshot-mqtt-republish");
            t.setDaemon(true);
            return t;
        });
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                metrics.connected(true);
                if (reconnect) {
                    metrics.reconnected();
                    LOG.info("MQTT reconnected to {}", serverUri);
                }
                // Not from paho's callback thread: publishing and waiting there would block its own acks.
                republisher.execute(MqttPublisher.this::republish);
            }

            @Override
            public void connectionLost(Throwable cause) {
                metrics.connected(false);
                LOG.warn("MQTT connection to {} lost ({}); reconnecting", config.serverUri(),
                        cause == null ? "no reason" : cause.toString());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                if (topic.equals(topics.homeAssistantStatus())
                        && ONLINE.equals(new String(message.getPayload(), StandardCharsets.UTF_8))) {
                    LOG.info("Home Assistant came online: announcing entities and states again");
                    republisher.execute(MqttPublisher.this::republish);
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // Acks are awaited through the tokens.
            }
        });
        try {
            client.connect(options).waitForCompletion(CONNECT_TIMEOUT_MS);
        } catch (MqttException e) {
            closeClient();
            throw new IOException("cannot connect to the MQTT broker " + config.serverUri() + ": " + describe(e), e);
        }
    }

    private static MqttConnectOptions connectOptions(MqttConfig config, MqttTopics topics) throws IOException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(5_000);
        o.setCleanSession(true);
        o.setConnectionTimeout((int) (CONNECT_TIMEOUT_MS / 1000));
        o.setKeepAliveInterval(30);
        o.setMaxInflight(WINDOW * 2);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setWill(topics.availability(), OFFLINE.getBytes(StandardCharsets.UTF_8), QOS, true);
        if (config.user() != null) {
            o.setUserName(config.user());
            if (config.passwordFile() != null) {
                o.setPassword(firstLine(config.passwordFile(), "MQTT password file").toCharArray());
            }
        }
        if (config.tls()) {
            o.setSocketFactory(sslContext(config).getSocketFactory());
        }
        return o;
    }

    /**
     * Publishes {@code messages} in order and waits until the broker acknowledged all of them, reconnecting as
     * long as it takes. Retained ones are remembered for republication.
     *
     * @throws IOException when {@link #abandon()} was called before everything was acknowledged
     */
    void publishAndWait(List<Message> messages) throws IOException {
        synchronized (this) {
            for (Message m : messages) {
                if (m.retained()) {
                    retained.put(m.topic(), m);
                }
            }
        }
        int from = 0;
        long lastWarning = 0;
        while (from < messages.size()) {
            awaitConnected(messages.size() - from);
            int acked = sendWindow(messages, from);
            if (acked < Math.min(messages.size(), from + WINDOW)) {
                metrics.retried(Math.min(messages.size(), from + WINDOW) - acked);
                if (System.nanoTime() - lastWarning > 10_000_000_000L) {
                    lastWarning = System.nanoTime();
                    LOG.warn("MQTT broker {} did not acknowledge {} message(s); publishing them again",
                            config.serverUri(), messages.size() - acked);
                }
                sleepBriefly();
            }
            from = acked;
        }
    }

    /** Publishes one window from {@code from}; returns the index up to which every message is acknowledged. */
    private int sendWindow(List<Message> messages, int from) {
        int end = Math.min(messages.size(), from + WINDOW);
        List<IMqttDeliveryToken> tokens = new ArrayList<>(end - from);
        try {
            for (int i = from; i < end; i++) {
                Message m = messages.get(i);
                // The state lock keeps a republication from slipping an older value between two of ours.
                synchronized (this) {
                    tokens.add(client.publish(m.topic(), m.payload(), QOS, m.retained()));
                }
            }
        } catch (MqttException e) {
            LOG.debug("MQTT publish refused: {}", describe(e));
        }
        int acked = from;
        for (IMqttDeliveryToken t : tokens) {
            try {
                t.waitForCompletion(ACK_TIMEOUT_MS);
                if (t.getException() != null) {
                    break;
                }
            } catch (MqttException e) {
                break;
            }
            metrics.published(messages.get(acked).kind());
            acked++;
        }
        return acked;
    }

    private void awaitConnected(int pending) throws IOException {
        long since = System.nanoTime();
        long warned = since;
        while (!client.isConnected()) {
            if (abandoned) {
                throw new IOException("MQTT broker " + config.serverUri() + " unreachable while stopping: " + pending
                        + " message(s) not acknowledged; their records are not committed and will be consumed again");
            }
            if (System.nanoTime() - warned > 30_000_000_000L) {
                warned = System.nanoTime();
                LOG.warn("waiting for the MQTT broker {} for {} s; {} message(s) pending, Kafka offsets not committed",
                        config.serverUri(), (warned - since) / 1_000_000_000L, pending);
            }
            sleepBriefly();
        }
    }

    private void sleepBriefly() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing to MQTT", e);
        }
    }

    /** Publishes online, then every remembered retained message with its latest value. Best effort. */
    private void republish() {
        if (!client.isConnected()) {
            return;
        }
        try {
            List<String> topicsNow;
            synchronized (this) {
                topicsNow = new ArrayList<>(retained.keySet());
            }
            List<IMqttDeliveryToken> tokens = new ArrayList<>();
            tokens.add(client.publish(topics.availability(), ONLINE.getBytes(StandardCharsets.UTF_8), QOS, true));
            for (String topic : topicsNow) {
                if (tokens.size() >= WINDOW) {
                    awaitAll(tokens);
                }
                synchronized (this) {
                    Message m = retained.get(topic);
                    tokens.add(client.publish(m.topic(), m.payload(), QOS, true));
                }
            }
            awaitAll(tokens);
            if (config.discoveryPrefix() != null) {
                client.subscribe(topics.homeAssistantStatus(), QOS);
            }
            metrics.republished(topicsNow.size());
            LOG.info("MQTT: published online and {} retained message(s) to {}", topicsNow.size(), config.serverUri());
        } catch (MqttException e) {
            // The connection dropped again; the next connectComplete repeats this.
            LOG.info("MQTT republication interrupted: {}", describe(e));
        }
    }

    private static void awaitAll(List<IMqttDeliveryToken> tokens) throws MqttException {
        for (IMqttToken t : tokens) {
            t.waitForCompletion(ACK_TIMEOUT_MS);
        }
        tokens.clear();
    }

    /** Called from another thread when the sink stops: a publish waiting for the broker gives up. */
    void abandon() {
        abandoned = true;
    }

    /** Publishes offline (a clean stop does not trigger the last will) and disconnects. */
    @Override
    public void close() {
        abandoned = true;
        republisher.shutdownNow();
        try {
            if (client.isConnected()) {
                client.publish(topics.availability(), OFFLINE.getBytes(StandardCharsets.UTF_8), QOS, true)
                        .waitForCompletion(ACK_TIMEOUT_MS);
                client.disconnect(2_000).waitForCompletion(5_000);
            }
        } catch (MqttException e) {
            LOG.info("MQTT disconnect from {} not clean: {}", config.serverUri(), describe(e));
        } finally {
            closeClient();
            try {
                republisher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeClient() {
        try {
            client.disconnectForcibly(0, 1_000);
        } catch (MqttException e) {
            // not connected
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing the MQTT client: {}", describe(e));
        }
    }

    private static String describe(MqttException e) {
        String msg = e.getMessage();
        Throwable cause = e.getCause();
        return (msg == null ? "reason code " + e.getReasonCode() : msg) + (cause == null ? "" : " (" + cause + ")");
    }

    static String firstLine(Path file, String what) throws IOException {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new IOException(what + " " + file + " is empty");
            }
            return lines.get(0);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(what + " " + file + " does not exist", e);
        }
    }

    /** Trusts the certificates of the configured store (PEM, PKCS#12 or JKS by extension), or the JVM's. */
    static SSLContext sslContext(MqttConfig config) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (config.trustStore() == null) {
                ctx.init(null, null, null);
                return ctx;
            }
            Path store = config.trustStore();
            String name = store.getFileName().toString().toLowerCase(Locale.ROOT);
            KeyStore ks;
            if (name.endsWith(".jks") || name.endsWith(".p12") || name.endsWith(".pfx")) {
                char[] pw = config.trustStorePasswordFile() == null ? null
                        : firstLine(config.trustStorePasswordFile(), "MQTT trust store password file").toCharArray();
                ks = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
                try (InputStream in = Files.newInputStream(store)) {
                    ks.load(in, pw);
                }
            } else {
                ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                try (InputStream in = Files.newInputStream(store)) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        ks.setCertificateEntry("ca-" + i++, c);
                    }
                }
                if (i == 0) {
                    throw new IOException("MQTT trust store " + store + " holds no PEM certificate");
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("MQTT trust store " + config.trustStore() + " does not exist", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("MQTT trust store " + config.trustStore() + " unusable: " + e.getMessage(), e);
        }
    }
}
