package io.earshot.sink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Quiet time per label: after a source's label turns OFF, a new event of that label within this many
 * seconds (of capture time) is not notified (no ON, no event message). Zero means every event is notified.
 *
 * @param defaultSeconds for labels without their own value
 * @param perLabel       label -> seconds
 */
public record MqttCooldowns(double defaultSeconds, Map<String, Double> perLabel) {

    public static final MqttCooldowns NONE = new MqttCooldowns(0, Map.of());

    public MqttCooldowns {
        requireValid(defaultSeconds, "default");
        perLabel = Map.copyOf(perLabel);
        perLabel.forEach((label, s) -> requireValid(s, label));
    }

    /** The cooldown of {@code label}, in seconds. */
    public double seconds(String label) {
        return perLabel.getOrDefault(label, defaultSeconds);
    }

    /**
     * Parses command-line values: {@code SECONDS} sets the default, {@code LABEL=SECONDS} one label's, e.g.
     * {@code ["30", "Speech=120", "Alarm=0"]}.
     */
    public static MqttCooldowns parse(List<String> specs) {
        double def = 0;
        Map<String, Double> labels = new HashMap<>();
        for (String spec : specs) {
            int eq = spec.lastIndexOf('=');
            String label = eq < 0 ? null : spec.substring(0, eq).trim();
            String value = eq < 0 ? spec.trim() : spec.substring(eq + 1).trim();
            double seconds;
            try {
                seconds = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("MQTT cooldown '" + spec
                        + "' is neither SECONDS nor LABEL=SECONDS (e.g. 30 or Speech=120)");
            }
            if (label == null) {
                def = seconds;
            } else if (label.isEmpty()) {
                throw new IllegalArgumentException("MQTT cooldown '" + spec + "' has an empty label");
            } else {
                labels.put(label, seconds);
            }
        }
        return new MqttCooldowns(def, labels);
    }

    private static void requireValid(double seconds, String what) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("MQTT cooldown for " + what + " must be a finite number of seconds >= 0, got "
                    + seconds);
        }
    }
}
