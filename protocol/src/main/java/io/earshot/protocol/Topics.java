package io.earshot.protocol;

/**
 * Topic names used by every Earshot process. A deployment may put all of them under a common
 * prefix (for example {@code lab1.}) so that several installations share one cluster.
 */
public record Topics(String audio, String audioDlq, String events, String scores, String energy, String levels) {

    public static final String DEFAULT_PREFIX = "earshot.";

    public Topics {
        requireName(audio, "audio");
        requireName(audioDlq, "audioDlq");
        requireName(events, "events");
        requireName(scores, "scores");
        requireName(energy, "energy");
        requireName(levels, "levels");
    }

    /** The default names: earshot.audio, earshot.audio.dlq, earshot.events, earshot.scores, earshot.energy, earshot.levels. */
    public static Topics defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    /** All topics under one prefix; the prefix is used verbatim, so include a trailing dot if wanted. */
    public static Topics withPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("topic prefix must not be null");
        }
        return new Topics(prefix + "audio", prefix + "audio.dlq", prefix + "events", prefix + "scores", prefix + "energy",
                prefix + "levels");
    }

    private static void requireName(String name, String role) {
        if (name == null || name.isBlank() || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("invalid Kafka topic name for " + role + ": '" + name + "'");
        }
    }
}
