package io.earshot.sink;

/**
 * The topic names of the MQTT bridge (docs/mqtt.md). Source ids and labels become one topic level each:
 * characters MQTT gives a meaning in topic names ({@code / + #}), and control characters, become {@code _}.
 * Home Assistant ids allow only {@code [A-Za-z0-9_-]}; everything else becomes {@code _} there.
 */
final class MqttTopics {

    private final String prefix;
    private final String discoveryPrefix;

    MqttTopics(String prefix, String discoveryPrefix) {
        this.prefix = prefix;
        this.discoveryPrefix = discoveryPrefix;
    }

    /** online/offline of the bridge (retained; the broker publishes offline as the last will). */
    String availability() {
        return prefix + "availability";
    }

    /** ON/OFF of one source and label (retained). */
    String state(String source, String label) {
        return prefix + segment(source) + "/" + segment(label) + "/state";
    }

    /** Event records of one source and label (not retained). */
    String event(String source, String label) {
        return prefix + segment(source) + "/" + segment(label) + "/event";
    }

    /** Level of one source (retained). */
    String level(String source) {
        return prefix + segment(source) + "/level";
    }

    /** Home Assistant's own birth/last-will topic: "online" when it (re)starts. */
    String homeAssistantStatus() {
        return discoveryPrefix + "/status";
    }

    String binarySensorConfig(String source, String label) {
        return discoveryPrefix + "/binary_sensor/" + nodeId(source) + "/" + haId(label) + "/config";
    }

    String levelSensorConfig(String source) {
        return discoveryPrefix + "/sensor/" + nodeId(source) + "/level/config";
    }

    /** Discovery node id and device identifier of a source. */
    static String nodeId(String source) {
        return "earshot_" + haId(source);
    }

    /** One topic level: no separators or wildcards. */
    static String segment(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c == '/' || c == '+' || c == '#' || Character.isISOControl(c) ? '_' : c);
        }
        return b.length() == 0 ? "_" : b.toString();
    }

    /** An id Home Assistant accepts in discovery topics and entity ids. */
    static String haId(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            b.append(ok ? c : '_');
        }
        return b.length() == 0 ? "_" : b.toString();
    }
}
