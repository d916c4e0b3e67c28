package io.earshot.detector;

/**
 * A per-label threshold given on the command line or in code: the onset threshold, and optionally the
 * off threshold of the hysteresis (without it, off keeps the manifest's ratio of off to on).
 *
 * @param on  onset threshold in (0, 1)
 * @param off off threshold in (0, on], or null
 */
public record ThresholdOverride(double on, Double off) {

    public ThresholdOverride {
        if (!(on > 0 && on < 1)) {
            throw new IllegalArgumentException("onset threshold must be in (0, 1), got " + on);
        }
        if (off != null && !(off > 0 && off <= on)) {
            throw new IllegalArgumentException("off threshold must be in (0, " + on + "], got " + off);
        }
    }

    public static ThresholdOverride on(double on) {
        return new ThresholdOverride(on, null);
    }

    /** Parses {@code ON} or {@code ON:OFF}, e.g. {@code 0.6} or {@code 0.6:0.4}. */
    public static ThresholdOverride parse(String text) {
        String[] parts = text.trim().split(":", -1);
        try {
            if (parts.length == 1) {
                return on(Double.parseDouble(parts[0]));
            }
            if (parts.length == 2) {
                return new ThresholdOverride(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("threshold '" + text + "' is not ON or ON:OFF, e.g. 0.6 or 0.6:0.4");
    }
}
