package io.earshot.sink;

import static io.earshot.sink.MqttEventStates.Decision.DUPLICATE;
import static io.earshot.sink.MqttEventStates.Decision.EVENT_ONLY;
import static io.earshot.sink.MqttEventStates.Decision.OFF;
import static io.earshot.sink.MqttEventStates.Decision.ON;
import static io.earshot.sink.MqttEventStates.Decision.SUPPRESSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bridge's state machine, cooldowns and names, without a broker. */
class MqttEventStatesTest {

    private static final int S = Records.RATE; // samples per second

    @Test
    void aLabelIsOnWhileAnyOfItsEventsIsOpen() {
        MqttEventStates states = new MqttEventStates(MqttCooldowns.NONE);
        assertEquals(ON, states.apply(Records.start("a", "Speech", 0, 0.9)));
        assertEquals(EVENT_ONLY, states.apply(Records.start("a", "Speech", 2 * S, 0.9))); // overlapping (another stream)
        assertEquals(EVENT_ONLY, states.apply(Records.end("a", "Speech", 0, 3 * S, 0.9)));
        assertTrue(states.isOn("a", "Speech"));
        assertEquals(OFF, states.apply(Records.end("a", "Speech", 2 * S, 4 * S, 0.9)));
        assertFalse(states.isOn("a", "Speech"));
        // another source and label are independent
        assertEquals(ON, states.apply(Records.start("b", "Speech", 0, 0.9)));
        assertEquals(ON, states.apply(Records.start("a", "Dog", 0, 0.9)));
    }

    @Test
    void recordsSeenAgainChangeNothing() {
        MqttEventStates states = new MqttEventStates(MqttCooldowns.NONE);
        assertEquals(ON, states.apply(Records.start("a", "Dog", 0, 0.9)));
        assertEquals(DUPLICATE, states.apply(Records.start("a", "Dog", 0, 0.9)));
        assertEquals(OFF, states.apply(Records.end("a", "Dog", 0, S, 0.9)));
        assertEquals(DUPLICATE, states.apply(Records.end("a", "Dog", 0, S, 0.9)));
        // an end whose start came before this sink started still closes the label
        MqttEventStates fresh = new MqttEventStates(MqttCooldowns.NONE);
        assertEquals(OFF, fresh.apply(Records.end("a", "Dog", 0, S, 0.9)));
    }

    @Test
    void theCooldownCountsFromTheOffInCaptureTime() {
        MqttEventStates states = new MqttEventStates(MqttCooldowns.parse(List.of("10", "Alarm=0")));
        assertEquals(ON, states.apply(Records.start("a", "Dog", 0, 0.9)));
        assertEquals(OFF, states.apply(Records.end("a", "Dog", 0, 2 * S, 0.9)));
        // 9.9 s after the OFF: quiet, start and end
        assertEquals(SUPPRESSED, states.apply(Records.start("a", "Dog", 2 * S + 9 * S + S * 9 / 10, 0.9)));
        assertFalse(states.isOn("a", "Dog"));
        assertEquals(SUPPRESSED, states.apply(Records.end("a", "Dog", 2 * S + 9 * S + S * 9 / 10, 13 * S, 0.9)));
        // 10 s after the first OFF: notified (the suppressed event does not extend the cooldown)
        assertEquals(ON, states.apply(Records.start("a", "Dog", 12 * S, 0.9)));
        assertEquals(OFF, states.apply(Records.end("a", "Dog", 12 * S, 14 * S, 0.9)));
        // Alarm has its own cooldown of 0
        assertEquals(ON, states.apply(Records.start("a", "Alarm", 0, 0.9)));
        assertEquals(OFF, states.apply(Records.end("a", "Alarm", 0, S, 0.9)));
        assertEquals(ON, states.apply(Records.start("a", "Alarm", S + 1, 0.9)));
        // another source has its own clock
        assertEquals(ON, states.apply(Records.start("b", "Dog", 3 * S, 0.9)));
    }

    @Test
    void cooldownSpecsAreParsedOrRejectedByName() {
        MqttCooldowns c = MqttCooldowns.parse(List.of("30", "Speech=120", "Bird song=5.5"));
        assertEquals(30, c.seconds("Dog"));
        assertEquals(120, c.seconds("Speech"));
        assertEquals(5.5, c.seconds("Bird song"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MqttCooldowns.parse(List.of("Speech=soon")));
        assertTrue(e.getMessage().contains("Speech=soon"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MqttCooldowns.parse(List.of("-1")));
        assertThrows(IllegalArgumentException.class, () -> MqttCooldowns.parse(List.of("=3")));
    }

    @Test
    void namesAreSafeForMqttAndHomeAssistant() {
        MqttTopics t = new MqttTopics("site/", "homeassistant");
        assertEquals("site/mic_1_2__/Speech/state", t.state("mic/1+2/#", "Speech"));
        assertEquals("site/street-01.wav/Bird song/event", t.event("street-01.wav", "Bird song"));
        assertEquals("homeassistant/binary_sensor/earshot_street-01_wav/Bird_song/config",
                t.binarySensorConfig("street-01.wav", "Bird song"));
        assertEquals("homeassistant/sensor/earshot_street-01_wav/level/config", t.levelSensorConfig("street-01.wav"));
        assertEquals("site/availability", t.availability());
    }

    @Test
    void configRejectsWhatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.forServer("localhost:1883", "c"));
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.forServer("http://localhost", "c"));
        assertThrows(IllegalArgumentException.class, () -> MqttConfig.forServer("tcp://h:1883", " "));
        assertThrows(IllegalArgumentException.class,
                () -> MqttConfig.forServer("tcp://h:1883", "c").withPrefixes("a/#/", "homeassistant"));
        assertEquals("earshot/", MqttConfig.forServer("tcp://h:1883", "c").withPrefixes("earshot", null).topicPrefix());
        assertTrue(MqttConfig.forServer("SSL://h:8883", "c").tls());
    }
}
