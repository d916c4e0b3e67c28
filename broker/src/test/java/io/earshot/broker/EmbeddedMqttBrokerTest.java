package io.earshot.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** The embedded MQTT broker with a real MQTT client. */
class EmbeddedMqttBrokerTest {

    @Test
    void deliversRetainedMessagesAndTellsTheListener() throws Exception {
        ConcurrentLinkedQueue<EmbeddedMqttBroker.Published> seen = new ConcurrentLinkedQueue<>();
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(EmbeddedMqttBroker.Options.loopback(), seen::add)) {
            MqttClient pub = new MqttClient(broker.uri(), "pub", new MemoryPersistence());
            pub.connect();
            pub.publish("a/state", "ON".getBytes(StandardCharsets.UTF_8), 1, true);
            pub.disconnect();
            pub.close();

            CountDownLatch got = new CountDownLatch(1);
            MqttClient sub = new MqttClient(broker.uri(), "sub", new MemoryPersistence());
            sub.connect();
            sub.subscribe("a/#", 1, (topic, m) -> {
                // (Moquette 0.17 does not set the retain flag on messages it sends from its retained store.)
                if (new String(m.getPayload(), StandardCharsets.UTF_8).equals("ON")) {
                    got.countDown();
                }
            });
            assertTrue(got.await(10, TimeUnit.SECONDS), "retained message delivered to a later subscriber");
            sub.disconnect();
            sub.close();
            assertEquals(List.of("pub a/state ON true"),
                    seen.stream().map(p -> p.clientId() + " " + p.topic() + " " + p.text() + " " + p.retained()).toList());
        }
    }

    @Test
    void aUserIsRequiredWhenConfiguredAndAPortIsNotTakenTwice() throws Exception {
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(
                EmbeddedMqttBroker.Options.loopback().withUser("u", "right"))) {
            MqttConnectOptions wrong = new MqttConnectOptions();
            wrong.setUserName("u");
            wrong.setPassword("wrong".toCharArray());
            MqttClient c = new MqttClient(broker.uri(), "c", new MemoryPersistence());
            MqttException e = assertThrows(MqttException.class, () -> c.connect(wrong));
            assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, e.getReasonCode());
            MqttConnectOptions right = new MqttConnectOptions();
            right.setUserName("u");
            right.setPassword("right".toCharArray());
            c.connect(right);
            c.disconnect();
            c.close();

            assertThrows(RuntimeException.class, () -> EmbeddedMqttBroker.start(broker.options()).close(),
                    "a second broker on a port in use fails instead of running deaf");
        }
    }
}
