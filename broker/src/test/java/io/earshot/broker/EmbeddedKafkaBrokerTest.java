package io.earshot.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.startTemporary();
    }

    @AfterAll
    static void stopBroker() {
        Path dir = broker.dataDir();
        broker.close();
        assertFalse(Files.exists(dir), "a temporary broker deletes its data dir on close");
    }

    @Test
    void listensOnLoopbackWithTheChosenFreePort() {
        assertTrue(broker.port() > 0);
        assertEquals("127.0.0.1:" + broker.port(), broker.bootstrapServers());
    }

    @Test
    void producedRecordsAreConsumedInOrderByAGroup() throws Exception {
        String topic = "plain-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = producer(broker, null)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "key", "value-" + i)).get();
            }
        }
        List<String> values = consume(broker, topic, 5, "read_uncommitted");
        assertEquals(List.of("value-0", "value-1", "value-2", "value-3", "value-4"), values);
    }

    @Test
    void transactionsCommitAndAbortOnASingleNode() throws Exception {
        String topic = "tx-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = producer(broker, "tx-" + UUID.randomUUID())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
        }
        assertEquals(List.of("committed-1", "committed-2"), consume(broker, topic, 2, "read_committed"));
    }

    @Test
    void aPortInUseGivesAClearError(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.start(new BrokerConfig(dir, taken.getLocalPort())));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void restartOnTheSameDataDirKeepsTopicsRecordsAndClusterId(@TempDir Path dataDir) throws Exception {
        String topic = "durable";
        String firstClusterId;
        int firstPort;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(new BrokerConfig(dataDir, 0))) {
            firstClusterId = first.clusterId();
            firstPort = first.port();
            try (KafkaProducer<String, String> producer = producer(first, null)) {
                producer.send(new ProducerRecord<>(topic, "k", "before-restart")).get();
            }
        }
        // A different port on restart: the data dir does not pin the listener addresses.
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(new BrokerConfig(dataDir, 0))) {
            assertEquals(firstClusterId, second.clusterId());
            assertNotEquals(0, second.port());
            assertTrue(firstPort > 0);
            try (KafkaProducer<String, String> producer = producer(second, null)) {
                producer.send(new ProducerRecord<>(topic, "k", "after-restart")).get();
            }
            assertEquals(List.of("before-restart", "after-restart"), consume(second, topic, 2, "read_uncommitted"));
        }
        assertTrue(Files.exists(dataDir.resolve(EmbeddedKafkaBroker.CLUSTER_ID_FILE)), "a persistent broker keeps its data");
    }

    @Test
    void overridesReachTheBrokerConfiguration(@TempDir Path dataDir) {
        BrokerConfig config = new BrokerConfig(dataDir, 0).withOverrides(Map.of("num.partitions", "3"));
        Properties props = EmbeddedKafkaBroker.brokerProperties(config, 1234, 1235, -1, dataDir);
        assertEquals("3", props.getProperty("num.partitions"));
        assertEquals("PLAINTEXT://127.0.0.1:1234", props.getProperty("advertised.listeners"));
        assertEquals("1@127.0.0.1:1235", props.getProperty("controller.quorum.voters"));
        assertEquals("1", props.getProperty("transaction.state.log.replication.factor"));
    }

    @Test
    void aWildcardBindAdvertisesLoopbackUnlessToldOtherwise(@TempDir Path dataDir) {
        BrokerConfig wildcard = new BrokerConfig(dataDir, 9092).withHost("0.0.0.0", null);
        assertEquals("127.0.0.1", wildcard.effectiveAdvertisedHost());
        assertEquals("kafka.example", wildcard.withHost("0.0.0.0", "kafka.example").effectiveAdvertisedHost());
        assertThrows(IllegalArgumentException.class, () -> new BrokerConfig(dataDir, 70000));
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafkaBroker b, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static List<String> consume(EmbeddedKafkaBroker b, String topic, int expected, String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            // One more short poll: nothing beyond the expected records (e.g. no aborted ones) may show up.
            consumer.poll(Duration.ofMillis(300)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
