package io.earshot.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's SASL_SSL listener with SCRAM users and ACLs, against real clients. */
class SecureBrokerTest {

    @TempDir
    Path dir;

    @Test
    void usersLogInWithTheirPasswordAndMayDoOnlyWhatTheAclsAllow() throws Exception {
        TestTls tls = TestTls.create(dir.resolve("tls"));
        List<AclRule> acls = List.of(
                AclRule.parse("User:alice WRITE topic t"),
                AclRule.parse("User:alice READ topic t"),
                AclRule.parse("User:alice CREATE topic t"),
                AclRule.parse("User:alice READ group g prefixed"));
        BrokerConfig config = new BrokerConfig(dir.resolve("data"), 0)
                .withSecurity(tls.security(Map.of("alice", "alice-pw", "mallory", "mallory-pw"), acls));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config)) {
            String bootstrap = broker.bootstrapServers();
            Properties alice = tls.clientProperties(bootstrap, "alice", "alice-pw");
            try (Admin admin = Admin.create(alice)) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = producer(alice)) {
                producer.send(new ProducerRecord<>("t", "k", "hello")).get();
            }
            assertEquals(List.of("hello"), consume(alice, "t", "g1"));

            ExecutionException wrongPassword = assertThrows(ExecutionException.class,
                    () -> send(tls.clientProperties(bootstrap, "alice", "not-her-password")));
            assertInstanceOf(SaslAuthenticationException.class, wrongPassword.getCause());
            ExecutionException noAcl = assertThrows(ExecutionException.class,
                    () -> send(tls.clientProperties(bootstrap, "mallory", "mallory-pw")));
            assertInstanceOf(TopicAuthorizationException.class, noAcl.getCause());
        }
        // The files are the truth: a restart with other users removes the ones no longer listed.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.withSecurity(
                tls.security(Map.of("bob", "bob-pw"), List.of(AclRule.parse("User:bob WRITE topic t")))))) {
            ExecutionException gone = assertThrows(ExecutionException.class,
                    () -> send(tls.clientProperties(broker.bootstrapServers(), "alice", "alice-pw")));
            assertInstanceOf(SaslAuthenticationException.class, gone.getCause());
            send(tls.clientProperties(broker.bootstrapServers(), "bob", "bob-pw"));
            ExecutionException aclGone = assertThrows(ExecutionException.class,
                    () -> consume(tls.clientProperties(broker.bootstrapServers(), "bob", "bob-pw"), "t", "g2"));
            assertTrue(aclGone.getCause() != null, "bob may not read");
        }
    }

    @Test
    void aclLinesAreParsedOrRejectedWithTheReason() {
        AclRule r = AclRule.parse("User:detect  WRITE transactional-id earshot-detector prefixed");
        assertEquals("User:detect", r.principal());
        assertEquals(org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID, r.resourceType());
        assertEquals(org.apache.kafka.common.resource.PatternType.PREFIXED, r.patternType());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AclRule.parse("detect READ topic x"))
                .getMessage().contains("User:detect"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AclRule.parse("User:x FLY topic x"))
                .getMessage().contains("FLY"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AclRule.parse("User:x READ table x"))
                .getMessage().contains("table"));
    }

    private static void send(Properties props) throws ExecutionException, InterruptedException {
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<String, String> producer = producer(props)) {
            producer.send(new ProducerRecord<>("t", "k", "v")).get();
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ExecutionException(e);
        }
    }

    private static KafkaProducer<String, String> producer(Properties props) {
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static List<String> consume(Properties base, String topic, String group) throws ExecutionException {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ExecutionException(e);
        }
        return values;
    }
}
