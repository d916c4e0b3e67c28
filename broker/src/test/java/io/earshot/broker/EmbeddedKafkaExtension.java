package io.earshot.broker;

import java.util.Properties;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real in-process Kafka broker for a test class: the one broker set-up every module's tests share
 * (from the broker module's test jar).
 *
 * <pre>
 * &#64;RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * ... new KafkaProducer&lt;&gt;(KAFKA.clientProperties(), ...)
 * </pre>
 *
 * A static field gives one broker for the whole class (started before the first test, stopped after the
 * last); an instance field gives each test its own. The broker lives on a free loopback port in a
 * temporary directory that is deleted when it stops. Tests that share it keep apart by topic prefix or
 * consumer group.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private EmbeddedKafkaBroker broker;
    private boolean perTest;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.startTemporary();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Only an instance field gets here without a running broker: then the broker is per test. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (broker == null) {
            perTest = true;
            broker = EmbeddedKafkaBroker.startTemporary();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        }
    }

    private void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker. */
    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only while a test of the registering class runs");
        }
        return broker;
    }

    /** {@code host:port} of the broker. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** A fresh set of client properties holding only {@code bootstrap.servers}. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }
}
