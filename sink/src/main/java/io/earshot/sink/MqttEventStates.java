package io.earshot.sink;

import io.earshot.protocol.SoundEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The ON/OFF state of every (source, label) and the per-label cooldown, as a pure state machine over event
 * records: a label is ON while at least one of its events is open. After it turns OFF, a new event that starts
 * within the label's cooldown (measured in capture time, from the OFF's offset to the new onset, so a replay at
 * any speed behaves like the live stream) is suppressed: neither its start nor its end is notified.
 *
 * <p>Records seen again (a restarted sink re-reading uncommitted records) change nothing and are reported as
 * duplicates; an end whose start this process never saw is treated as closing the label.
 */
final class MqttEventStates {

    /** What to publish for one record. */
    enum Decision {
        /** Publish the event; the state turned ON. */
        ON,
        /** Publish the event; the state turned OFF. */
        OFF,
        /** Publish the event; the state is unchanged (another event of the label is still open). */
        EVENT_ONLY,
        /** Within the cooldown: publish nothing. */
        SUPPRESSED,
        /** Already handled: publish nothing. */
        DUPLICATE
    }

    private record Key(String source, String label) {
    }

    private static final class LabelState {
        final Set<String> open = new HashSet<>();
        final Set<String> suppressed = new HashSet<>();
        long lastOffMicros = Long.MIN_VALUE;
    }

    private final MqttCooldowns cooldowns;
    private final Map<Key, LabelState> states = new HashMap<>();

    MqttEventStates(MqttCooldowns cooldowns) {
        this.cooldowns = Objects.requireNonNull(cooldowns);
    }

    Decision apply(SoundEvent e) {
        LabelState s = states.computeIfAbsent(new Key(e.sourceId(), e.label()), k -> new LabelState());
        String id = e.eventId();
        if (e.state() == SoundEvent.State.START) {
            if (s.open.contains(id) || s.suppressed.contains(id)) {
                return Decision.DUPLICATE;
            }
            long cooldownMicros = Math.round(cooldowns.seconds(e.label()) * 1e6);
            if (s.open.isEmpty() && cooldownMicros > 0 && s.lastOffMicros != Long.MIN_VALUE
                    && e.onsetTimeMicros() - s.lastOffMicros < cooldownMicros) {
                s.suppressed.add(id);
                return Decision.SUPPRESSED;
            }
            boolean wasOff = s.open.isEmpty();
            s.open.add(id);
            return wasOff ? Decision.ON : Decision.EVENT_ONLY;
        }
        if (s.suppressed.remove(id)) {
            return Decision.SUPPRESSED;
        }
        boolean known = s.open.remove(id);
        if (!known && s.lastOffMicros != Long.MIN_VALUE && e.offsetTimeMicros() <= s.lastOffMicros && s.open.isEmpty()) {
            // An end at or before the last OFF we published, whose start we never saw: re-delivered history.
            return Decision.DUPLICATE;
        }
        if (s.open.isEmpty()) {
            s.lastOffMicros = Math.max(s.lastOffMicros, e.offsetTimeMicros());
            return Decision.OFF;
        }
        return Decision.EVENT_ONLY;
    }

    /** Whether (source, label) is ON now. */
    boolean isOn(String source, String label) {
        LabelState s = states.get(new Key(source, label));
        return s != null && !s.open.isEmpty();
    }
}
