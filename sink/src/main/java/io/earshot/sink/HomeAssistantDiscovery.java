package io.earshot.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.protocol.JsonSerde;
import java.io.UncheckedIOException;

/**
 * Home Assistant MQTT discovery payloads (docs/mqtt.md): each source is a device; each of its labels a
 * {@code binary_sensor} with device class {@code sound}; its level a {@code sensor} in dBFS. All of them are
 * unavailable while the bridge's availability topic says {@code offline}.
 */
final class HomeAssistantDiscovery {

    private final MqttTopics topics;

    HomeAssistantDiscovery(MqttTopics topics) {
        this.topics = topics;
    }

    String binarySensor(String source, String label) {
        ObjectNode n = common(source, label, "_" + MqttTopics.haId(label));
        n.put("state_topic", topics.state(source, label));
        n.put("payload_on", "ON");
        n.put("payload_off", "OFF");
        n.put("device_class", "sound");
        // The last event record (confidence, onset, ...) becomes the entity's attributes.
        n.put("json_attributes_topic", topics.event(source, label));
        return write(n);
    }

    String levelSensor(String source, double intervalSeconds) {
        ObjectNode n = common(source, "Sound level", "_level");
        n.put("state_topic", topics.level(source));
        n.put("value_template", "{{ value_json.rms_dbfs }}");
        n.put("json_attributes_topic", topics.level(source));
        // dBFS is not a sound pressure (Home Assistant's sound_pressure class means dB SPL): no device class.
        n.put("unit_of_measurement", "dBFS");
        n.put("state_class", "measurement");
        n.put("suggested_display_precision", 1);
        // A source that stops sending audio becomes "unavailable" instead of showing a stale level.
        n.put("expire_after", (int) Math.ceil(3 * intervalSeconds));
        return write(n);
    }

    private ObjectNode common(String source, String name, String idSuffix) {
        ObjectNode n = JsonSerde.MAPPER.createObjectNode();
        n.put("name", name);
        n.put("unique_id", MqttTopics.nodeId(source) + idSuffix);
        n.put("availability_topic", topics.availability());
        n.put("payload_available", MqttPublisher.ONLINE);
        n.put("payload_not_available", MqttPublisher.OFFLINE);
        n.put("qos", 1);
        ObjectNode device = n.putObject("device");
        device.putArray("identifiers").add(MqttTopics.nodeId(source));
        device.put("name", "Earshot " + source);
        device.put("manufacturer", "Earshot");
        device.put("model", "sound event detection");
        n.putObject("origin").put("name", "Earshot");
        return n;
    }

    private static String write(ObjectNode n) {
        try {
            return JsonSerde.MAPPER.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
