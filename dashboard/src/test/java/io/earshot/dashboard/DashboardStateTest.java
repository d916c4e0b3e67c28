package io.earshot.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.protocol.EnergyReport;
import io.earshot.protocol.EventIds;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.SourceLevels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Folding records into what each browser is sent: top-k, live/idle, coalesced updates, per-view spectrogram. */
class DashboardStateTest {

    private static final long T0 = 1_795_000_000_000L; // wall clock, ms
    private final AtomicLong clock = new AtomicLong(T0);
    private final DashboardState state = new DashboardState(clock::get);

    private static FrameScores scores(String source, float... lastRow) {
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(i < 4 ? new float[] {0.9f, 0.9f, 0.9f} : lastRow); // older frames fall outside the last 16
        }
        return new FrameScores(source, "s1", 16_000, 0, 384, 1024, T0 * 1000, List.of("Speech", "Music", "Bird"), rows,
                "earshot-sed", "1");
    }

    private static SourceLevels levels(String source, long start, double rms) {
        return new SourceLevels(source, "s1", 16_000, start, start + 4096, T0 * 1000 + start * 1000 / 16, rms, rms + 6,
                1024, 50, 8000, List.of(new int[32], new int[32], new int[32], new int[32]));
    }

    private static SoundEvent start(String source, String label, long onset) {
        return new SoundEvent(EventIds.of(source, "s1", label, onset), source, "s1", label, SoundEvent.State.START, onset,
                null, 16_000, onset / 16_000.0, null, T0 * 1000 + onset * 1000 / 16, null, 0.8, "earshot-sed", "1");
    }

    private static JsonNode source(ObjectNode update, String id) {
        for (JsonNode s : update.path("sources")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        return null;
    }

    @Test
    void topClassesAreTheMeanOfTheLastSixteenFramesBestFirst() {
        state.onScores(scores("a", 0.1f, 0.7f, 0.4f), T0);
        JsonNode a = source(state.update(new DashboardState.Cursor(null)), "a");
        assertEquals("Music", a.get("top").get(0).get(0).asText());
        assertEquals(0.7, a.get("top").get(0).get(1).asDouble(), 1e-6);
        assertEquals("Bird", a.get("top").get(1).get(0).asText());
        assertEquals("Speech", a.get("top").get(2).get(0).asText());
        assertEquals(0.1, a.get("top").get(2).get(1).asDouble(), 1e-6);
    }

    @Test
    void updatesCarryOnlyWhatChangedAndLiveStateFlipsWhenLevelsStop() {
        state.onLevels(levels("a", 0, -20), T0);
        state.onLevels(levels("b", 0, -30), T0);
        DashboardState.Cursor c = new DashboardState.Cursor("a");
        ObjectNode first = state.update(c);
        assertEquals(2, first.get("sources").size());
        assertTrue(source(first, "a").get("live").asBoolean());
        assertEquals(4, first.get("spectrogram").get("columns").size(), "the selected source's columns");
        assertNull(state.update(c), "nothing changed, nothing sent");

        clock.addAndGet(500);
        state.onLevels(levels("b", 4096, -25), T0 + 500);
        ObjectNode second = state.update(c);
        assertEquals(1, second.get("sources").size(), "only b changed");
        assertEquals(-25.0, source(second, "b").get("rms_dbfs").asDouble());
        assertFalse(second.has("spectrogram"), "b is not the selected source");

        clock.addAndGet(DashboardState.LIVE_WITH_LEVELS_MS + 1);
        ObjectNode later = state.update(c);
        assertFalse(source(later, "a").get("live").asBoolean(), "a went idle");
        assertFalse(source(later, "b").get("live").asBoolean(), "b went idle");
    }

    @Test
    void eventsReachTheTimelineOnceAndOpenEventsShowUntilTheirEnd() {
        DashboardState.Cursor c = new DashboardState.Cursor(null);
        state.onEvent(start("a", "Speech", 16_000), T0 + 1500);
        ObjectNode u = state.update(c);
        assertEquals(1, u.get("events").size());
        assertEquals("start", u.get("events").get(0).get("state").asText());
        assertEquals("Speech", source(u, "a").get("active").get(0).asText());
        SoundEvent s = start("a", "Speech", 16_000);
        SoundEvent end = new SoundEvent(s.eventId(), "a", "s1", "Speech", SoundEvent.State.END, 16_000, 32_000L, 16_000,
                1.0, 2.0, s.onsetTimeMicros(), s.onsetTimeMicros() + 1_000_000, 0.7, "earshot-sed", "1");
        state.onEvent(end, T0 + 3000);
        ObjectNode v = state.update(c);
        assertEquals(1, v.get("events").size(), "only the new record");
        assertEquals(0, source(v, "a").get("active").size());
        // Health: onset -> start latency is publish time minus onset wall time (T0 + 1 s): 500 ms.
        JsonNode health = state.snapshot().get("health");
        assertEquals(500, health.get("start_latency_ms").get("p50").asLong());
        assertEquals(1000, health.get("end_latency_ms").get("p50").asLong());
    }

    @Test
    void energyPerAudioHourIsTotalJoulesOverTotalAudio() {
        state.onEnergy(new EnergyReport("det-1", 0, 10_000_000, 36.0, 1e-5, "cpu-model", 100.0, 10, 1296.0, 0.0048));
        state.onEnergy(new EnergyReport("det-1", 10_000_000, 20_000_000, 0.5, 1.4e-7, "cpu-model", 0.0, 0, null, 0.0));
        JsonNode h = state.snapshot().get("health");
        assertEquals(Math.round(36.5 / (100 / 3600.0)), h.get("joules_per_audio_hour").asLong());
        assertEquals("cpu-model", h.get("energy_method").asText());
    }

    @Test
    void historyReadAtStartDoesNotMakeASourceLive() {
        state.onEvent(start("old", "Bird", 0), T0 - 600_000);
        JsonNode old = source(state.update(new DashboardState.Cursor(null)), "old");
        assertFalse(old.get("live").asBoolean());
    }
}
