package io.earshot.detector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.detector.TestAudio;
import io.earshot.detector.TestModels;
import io.earshot.detector.ThresholdOverride;
import io.earshot.detector.model.OnnxModel;
import io.earshot.dsp.features.LogMelFrame;
import io.earshot.dsp.features.StreamingFramer;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.SoundEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector topology with a streaming model (manifest kind "streaming") in a TopologyTestDriver. */
class StreamingDetectorTest {

    private static final double SECONDS = 23.7;
    private static OnnxModel model;
    private static float[] audio;
    private static Map<String, ThresholdOverride> thresholds;
    private static List<SoundEvent> referenceEvents;
    private static ScoreTrack referenceScores;

    @TempDir
    Path tmp;

    @BeforeAll
    static void reference(@TempDir Path dir) {
        model = TestModels.loadStreaming();
        audio = TestAudio.scene(SECONDS);
        // the test model has random weights: thresholds at percentiles of its scores give events all along
        thresholds = TestModels.percentileThresholds(model, audio);
        try (TopologyHarness h = new TopologyHarness(model, dir, b -> b.thresholds(thresholds))) {
            h.sendAll("mic-1", TestAudio.chunks("s1", audio, 1600));
            referenceEvents = List.copyOf(h.eventLog);
            referenceScores = ScoreTrack.of(h.scoreLog, "s1");
        }
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private TopologyHarness harness(String name) {
        return new TopologyHarness(model, tmp.resolve(name), b -> b.thresholds(thresholds));
    }

    @Test
    void everyDecisionFrameIsPublishedOnceAndEqualsTheContractsReferenceRun() {
        // the audio as the detector receives it: 16-bit PCM chunks
        float[] pcm16 = new float[audio.length];
        for (AudioChunk c : TestAudio.chunks("s1", audio, 1600)) {
            float[] part = c.toMonoFloats();
            System.arraycopy(part, 0, pcm16, (int) c.firstSampleIndex(), part.length);
        }
        List<LogMelFrame> frames = new StreamingFramer(model.manifest().features()).push(0, pcm16);
        float[][] want = TestModels.streamReference(model, frames.stream().map(LogMelFrame::values).toList());
        // F feature frames give ceil(F / 4) decision frames, every one published once
        referenceScores.assertContiguousFrom(0, want.length - 1);
        for (int m = 0; m < want.length; m++) {
            float[] got = referenceScores.byFrame.get((long) m);
            for (int l = 0; l < got.length; l++) {
                assertEquals(want[m][l], got[l], 1e-6f, "decision frame " + m + " label " + l);
            }
        }
        assertFalse(referenceEvents.isEmpty(), "the scene should produce events");
        DetectorTopologyTest.assertEveryStartHasOneEnd(referenceEvents);
        SoundEvent last = referenceEvents.get(referenceEvents.size() - 1);
        assertEquals(SoundEvent.State.END, last.state());
    }

    @Test
    void outputDoesNotDependOnHowTheAudioWasCut() {
        Map<String, int[]> cuts = Map.of("10ms", new int[] {160}, "1s", new int[] {16000},
                "random", TestAudio.randomSizes(11));
        for (Map.Entry<String, int[]> cut : cuts.entrySet()) {
            try (TopologyHarness h = harness(cut.getKey())) {
                h.sendAll("mic-1", TestAudio.chunks("s1", audio, cut.getValue(), 1_700_000_000_000_000L, true));
                assertEquals(referenceEvents, h.eventLog, cut.getKey() + " chunks: events");
                ScoreTrack.of(h.scoreLog, "s1").assertMatches(referenceScores, 0f, cut.getKey() + " chunks");
            }
        }
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicAndTheStreamGoesOn() {
        List<AudioChunk> chunks = TestAudio.chunks("s1", audio, 1600);
        byte[] truncated = java.util.Arrays.copyOf(TestAudio.encode(chunks.get(5)), 30);
        try (TopologyHarness h = harness("dlq")) {
            for (int i = 0; i < chunks.size(); i++) {
                h.send("mic-1", chunks.get(i));
                switch (i) {
                    case 2 -> h.sendRaw("mic-1", "not audio".getBytes(StandardCharsets.UTF_8));
                    case 5 -> h.sendRaw("mic-1", truncated);
                    case 9 -> h.send("mic-1", AudioChunk.ofMonoPcm16("s1", 1000, 0, 0, 44100, new float[441]));
                    case 30 -> h.send("mic-1", chunks.get(12));     // a duplicate
                    default -> { }
                }
            }
            assertEquals(referenceEvents, h.eventLog, "good records around bad ones give the same events");
            ScoreTrack.of(h.scoreLog, "s1").assertMatches(referenceScores, 0f, "with bad records");
            List<String> reasons = new ArrayList<>();
            for (TestRecord<String, byte[]> r : h.dlqLog) {
                reasons.add(new String(r.headers().lastHeader("earshot.dlq.reason").value(), StandardCharsets.UTF_8));
                assertNotNull(r.headers().lastHeader("earshot.dlq.detail"));
            }
            assertEquals(List.of("malformed", "malformed", "unsupported_format"), reasons);
        }
    }

    @Test
    void aGapResetsTheModelStateAndClosesEventsWithTheGapAsReason() {
        int gapStart = 9 * 16000;
        int gapEnd = 12 * 16000 + 333;
        try (TopologyHarness h = harness("gap")) {
            for (AudioChunk c : TestAudio.chunks("s1", audio, 1600)) {
                if (c.endOfStream() || c.endSampleIndex() <= gapStart || c.firstSampleIndex() >= gapEnd) {
                    h.send("mic-1", c);
                }
            }
            DetectorTopologyTest.assertEveryStartHasOneEnd(h.eventLog);
            ScoreTrack track = ScoreTrack.of(h.scoreLog, "s1");
            // before the gap: the frames the model decided with real audio to its right equal the uninterrupted run
            long lastBefore = track.byFrame.floorKey((long) gapStart / 1024);
            long lookahead = model.manifest().streaming().lookaheadFrames();
            for (long f = 0; f < lastBefore - lookahead; f++) {
                assertEquals(referenceScores.byFrame.get(f)[0], track.byFrame.get(f)[0], 0f, "frame " + f);
            }
            // after it: the segment starts on the first output frame at or after the gap's end, state from zeros
            long firstAfter = track.byFrame.higherKey(lastBefore);
            long resumedAt = (gapEnd + 1599) / 1600 * 1600;      // the first 100-ms chunk after the gap
            assertEquals((resumedAt + 1023) / 1024, firstAfter);
            for (SoundEvent e : h.eventLog) {
                if (e.state() == SoundEvent.State.END && e.onsetSample() < gapStart) {
                    assertTrue(e.offsetSample() <= gapStart + 1024, "event ends at the gap: " + e);
                }
            }
        }
    }

    @Test
    void anIdleSourceHasItsEventsClosedAndGoesOnWhenItComesBack() {
        try (TopologyHarness h = harness("idle")) {
            IdleSources.check(h, audio, referenceEvents);
        }
    }
}
