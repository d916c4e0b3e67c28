package io.earshot.detector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.detector.TestAudio;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.SoundEvent;
import java.time.Duration;
import java.util.List;

/**
 * The idle-source check shared by the windowed and streaming tests: a source that stops in the middle
 * of an event, without end of stream, has the event closed with reason idle once the idle time passes
 * on the wall clock; when it sends again where it stopped, it goes on in a new segment.
 */
final class IdleSources {

    private IdleSources() {
    }

    static void check(TopologyHarness h, float[] audio, List<SoundEvent> reference) {
        SoundEvent open = reference.stream().filter(e -> e.state() == SoundEvent.State.END && e.onsetSample() > 2 * 16000
                && e.offsetSample() < audio.length - 2 * 16000)
                .max(java.util.Comparator.comparingLong(e -> e.offsetSample() - e.onsetSample()))
                .orElseThrow(() -> new AssertionError("the scene should have an event away from its edges"));
        List<AudioChunk> chunks = TestAudio.chunks("s1", audio, 1600);
        // stop in the middle of that event, at a chunk boundary
        long cut = (open.onsetSample() + open.offsetSample()) / 2 / 1600 * 1600;
        int k = 0;
        while (chunks.get(k).firstSampleIndex() < cut) {
            h.send("mic-1", chunks.get(k++));
        }
        int before = h.eventLog.size();
        assertTrue(h.eventLog.stream().noneMatch(e -> e.state() == SoundEvent.State.END && e.eventId().equals(open.eventId())),
                "the event is still open at the cut");
        Duration idle = h.settings.idleTimeout();
        h.advance(idle.minus(Duration.ofMillis(200)));
        // (results of blocks still in flight at the cut may be published meanwhile: only idle closing must wait)
        assertTrue(h.eventLog.subList(before, h.eventLog.size()).stream()
                .noneMatch(e -> e.endReason() == SoundEvent.EndReason.IDLE), "nothing closes before the idle time");
        h.advance(Duration.ofMillis(200).plus(h.settings.idleCheckInterval()));
        SoundEvent closed = h.eventLog.stream().filter(e -> e.eventId().equals(open.eventId())
                && e.state() == SoundEvent.State.END).findFirst().orElseThrow(() -> new AssertionError(
                "the open event is closed after the idle time: " + h.eventLog.subList(before, h.eventLog.size())));
        assertEquals(SoundEvent.EndReason.IDLE, closed.endReason());
        assertTrue(closed.offsetSample() <= cut + 1024, "closed at the last analysed sample: " + closed);
        DetectorTopologyTest.assertEveryStartHasOneEnd(h.eventLog);
        ScoreTrack scored = ScoreTrack.of(h.scoreLog, "s1");
        assertEquals((cut - 1024) / 256 / 4, scored.byFrame.lastKey(), "the last audio is scored");

        // the source comes back where it stopped: a new segment of the same stream
        int resumed = h.eventLog.size();
        while (k < chunks.size()) {
            h.send("mic-1", chunks.get(k++));
        }
        assertEquals(0.0, h.registry.get("earshot.detector.gaps").counter().count(), "resuming is not a gap");
        List<SoundEvent> after = h.eventLog.subList(resumed, h.eventLog.size());
        assertTrue(after.stream().allMatch(e -> e.onsetSample() >= cut), "events after the pause start after it");
        DetectorTopologyTest.assertEveryStartHasOneEnd(h.eventLog);
        ScoreTrack all = ScoreTrack.of(h.scoreLog, "s1");
        assertEquals((cut + 1023) / 1024, all.byFrame.higherKey(scored.byFrame.lastKey()),
                "the new segment starts on the first output frame at or after the pause");
    }
}
