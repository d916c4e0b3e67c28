package io.earshot.detector.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.detector.TestAudio;
import io.earshot.detector.TestModels;
import io.earshot.detector.model.OnnxModel;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.EventIds;
import io.earshot.protocol.SoundEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector topology on the real model in a TopologyTestDriver. */
class DetectorTopologyTest {

    private static final double SECONDS = 31.3;
    private static OnnxModel model;
    private static float[] audio;
    /** Reference run: 100 ms chunks. */
    private static List<SoundEvent> referenceEvents;
    private static ScoreTrack referenceScores;
    private static Map<String, io.earshot.detector.ThresholdOverride> thresholds;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadModel(@TempDir Path dir) {
        model = TestModels.load();
        audio = TestAudio.scene(SECONDS);
        thresholds = TestModels.thresholdsFor(model, audio);
        try (TopologyHarness h = new TopologyHarness(model, dir, b -> b.thresholds(thresholds))) {
            h.sendAll("mic-1", TestAudio.chunks("s1", audio, 1600));
            referenceEvents = List.copyOf(h.eventLog);
            referenceScores = ScoreTrack.of(h.scoreLog, "s1");
        }
    }

    @AfterAll
    static void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    private TopologyHarness harness(String name) {
        return new TopologyHarness(model, tmp.resolve(name), b -> b.thresholds(thresholds));
    }

    @Test
    void endOfStreamScoresEveryFrameOnceAndClosesEveryEvent() {
        int outputHop = model.manifest().grid().hopSamples();
        long lastFrame = -1;
        // the last output frame is the one that holds the last input frame (4 input frames per output frame)
        long inputFrames = (audio.length - 1024) / 256 + 1;
        lastFrame = (inputFrames - 1) / model.manifest().timePooling();
        referenceScores.assertContiguousFrom(0, lastFrame);
        assertTrue(lastFrame * outputHop < audio.length);
        assertTrue(!referenceEvents.isEmpty(), "the scene should produce events");
        assertEveryStartHasOneEnd(referenceEvents);
        for (SoundEvent e : referenceEvents) {
            assertEquals(EventIds.of("mic-1", "s1", e.label(), e.onsetSample()), e.eventId());
            assertEquals(e.onsetSample() / 16000.0, e.onsetSec(), 1e-12);
            assertEquals(1_700_000_000_000_000L + Math.round(e.onsetSample() * 1e6 / 16000), e.onsetTimeMicros());
            assertEquals("earshot-sed", e.model());
            if (e.state() == SoundEvent.State.END) {
                assertTrue(e.offsetSample() > e.onsetSample() && e.offsetSample() <= audio.length + outputHop);
            }
        }
    }

    static void assertEveryStartHasOneEnd(List<SoundEvent> events) {
        Map<String, List<SoundEvent>> byId = events.stream().collect(Collectors.groupingBy(SoundEvent::eventId));
        for (Map.Entry<String, List<SoundEvent>> e : byId.entrySet()) {
            List<SoundEvent> records = e.getValue();
            assertEquals(2, records.size(), "records of event " + e.getKey() + ": " + records);
            assertEquals(SoundEvent.State.START, records.get(0).state());
            assertEquals(SoundEvent.State.END, records.get(1).state());
            assertEquals(records.get(0).onsetSample(), records.get(1).onsetSample());
        }
    }

    @Test
    void outputDoesNotDependOnHowTheAudioWasCut() {
        Map<String, int[]> cuts = Map.of("10ms", new int[] {160}, "1s", new int[] {16000},
                "random", TestAudio.randomSizes(7));
        for (Map.Entry<String, int[]> cut : cuts.entrySet()) {
            try (TopologyHarness h = harness(cut.getKey())) {
                h.sendAll("mic-1", TestAudio.chunks("s1", audio, cut.getValue(), 1_700_000_000_000_000L, true));
                assertEquals(referenceEvents, h.eventLog, cut.getKey() + " chunks: events");
                ScoreTrack.of(h.scoreLog, "s1").assertMatches(referenceScores, 1e-6f, cut.getKey() + " chunks");
            }
        }
    }

    @Test
    void anotherWindowAndHopStillScoreEveryFrameOnceWhateverTheChunking() {
        ScoreTrack first = null;
        for (int size : new int[] {160, 16000}) {
            try (TopologyHarness h = new TopologyHarness(model, tmp.resolve("geometry-" + size),
                    b -> b.thresholds(thresholds).windowSeconds(3.0).hopSeconds(1.0))) {
                assertEquals(188, h.settings.geometry().windowFrames());    // 3 s = 46.9 output frames -> 47
                assertEquals(64, h.settings.geometry().hopFrames());        // 1 s = 15.6 output frames -> 16
                h.sendAll("mic-1", TestAudio.chunks("s1", audio, size));
                ScoreTrack track = ScoreTrack.of(h.scoreLog, "s1");
                track.assertContiguousFrom(0, referenceScores.byFrame.lastKey());
                assertEveryStartHasOneEnd(h.eventLog);
                if (first == null) {
                    first = track;
                } else {
                    track.assertMatches(first, 1e-6f, "3 s windows, 1 s hop");
                }
            }
        }
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        List<AudioChunk> chunks = TestAudio.chunks("s1", audio, 1600);
        try (TopologyHarness h = harness("dup")) {
            int duplicates = 0;
            for (int i = 0; i < chunks.size(); i++) {
                h.send("mic-1", chunks.get(i));
                if (i % 5 == 0) {
                    h.send("mic-1", chunks.get(i));             // redelivered at once
                    duplicates++;
                }
                if (i % 7 == 3 && i > 3) {
                    h.send("mic-1", chunks.get(i - 3));         // redelivered late
                    duplicates++;
                }
            }
            assertEquals(referenceEvents, h.eventLog);
            ScoreTrack.of(h.scoreLog, "s1").assertMatches(referenceScores, 1e-6f, "with duplicates");
            assertEquals(duplicates, h.registry.get("earshot.detector.chunks.duplicate").counter().count());
            assertTrue(h.dlqLog.isEmpty());
        }
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheStreamGoesOn() {
        List<AudioChunk> chunks = TestAudio.chunks("s1", audio, 1600);
        byte[] unknownVersion = TestAudio.encode(chunks.get(3));
        unknownVersion[4] = 9;
        byte[] truncated = java.util.Arrays.copyOf(TestAudio.encode(chunks.get(5)), 30);
        AudioChunk at44k = AudioChunk.ofMonoPcm16("s1", 1000, 0, 0, 44100, new float[441]);
        try (TopologyHarness h = harness("dlq")) {
            for (int i = 0; i < chunks.size(); i++) {
                h.send("mic-1", chunks.get(i));
                switch (i) {
                    case 2 -> h.sendRaw("mic-1", "not audio".getBytes(StandardCharsets.UTF_8));
                    case 3 -> h.sendRaw("mic-1", unknownVersion);
                    case 5 -> h.sendRaw("mic-1", truncated);
                    case 8 -> h.send("mic-1", at44k);
                    case 40 -> {
                        // a new sequence number whose samples were already analysed
                        AudioChunk c = chunks.get(20);
                        h.send("mic-1", new AudioChunk("s1", 100_000, c.firstSampleIndex(), c.captureTimeMicros(),
                                16000, 1, c.encoding(), false, c.payload()));
                    }
                    case 41 -> h.sendRaw(null, TestAudio.encode(chunks.get(41)));
                    default -> { }
                }
            }
            assertEquals(referenceEvents, h.eventLog, "good records around bad ones give the same events");
            ScoreTrack.of(h.scoreLog, "s1").assertMatches(referenceScores, 1e-6f, "with bad records");
            List<String> reasons = new ArrayList<>();
            for (TestRecord<String, byte[]> r : h.dlqLog) {
                reasons.add(new String(r.headers().lastHeader("earshot.dlq.reason").value(), StandardCharsets.UTF_8));
                assertNotNull(r.headers().lastHeader("earshot.dlq.detail"));
            }
            assertEquals(List.of("malformed", "unknown_version", "malformed", "unsupported_format", "back_in_time",
                    "malformed"), reasons);
            assertArrayEquals("not audio".getBytes(StandardCharsets.UTF_8), h.dlqLog.get(0).value(), "original bytes kept");
            assertArrayEquals(unknownVersion, h.dlqLog.get(1).value());
            String detail = new String(h.dlqLog.get(3).headers().lastHeader("earshot.dlq.detail").value(), StandardCharsets.UTF_8);
            assertTrue(detail.contains("44100"), detail);
            assertEquals(3, h.registry.get("earshot.detector.chunks.rejected").tag("reason", "malformed").counter().count());
            assertEquals(1, h.registry.get("earshot.detector.chunks.rejected").tag("reason", "back_in_time").counter().count());
        }
    }

    @Test
    void aGapClosesOpenEventsAndRestartsTheSourceAtTheGap() {
        int gapStart = 13 * 16000 + 123;
        int gapEnd = 16 * 16000 + 777;
        List<AudioChunk> all = TestAudio.chunks("s1", audio, 1600);
        try (TopologyHarness h = harness("gap")) {
            for (AudioChunk c : all) {
                boolean inGap = c.endSampleIndex() > gapStart && c.firstSampleIndex() < gapEnd && !c.endOfStream();
                if (!inGap) {
                    h.send("mic-1", c);
                }
            }
            assertEquals(1.0, h.registry.get("earshot.detector.gaps").counter().count());
            assertEveryStartHasOneEnd(h.eventLog);
            // the chunk before the gap ends at 13 s (chunks are 100 ms); the segment after it starts on the
            // next output-frame boundary at or after 16.1 s
            long before = 13 * 16000;
            for (SoundEvent e : h.eventLog) {
                if (e.state() == SoundEvent.State.END) {
                    boolean first = e.onsetSample() < before;
                    if (first) {
                        assertTrue(e.offsetSample() <= before + 1024, "event ends at the gap: " + e);
                    } else {
                        assertTrue(e.onsetSample() >= 16 * 16000 + 1600, "event after the gap: " + e);
                    }
                }
            }
            ScoreTrack track = ScoreTrack.of(h.scoreLog, "s1");
            long lastBefore = track.byFrame.floorKey(before / 1024);
            long firstAfter = track.byFrame.higherKey(lastBefore);
            assertTrue(firstAfter > lastBefore + 40, "no scores inside the gap");
            // frames that the first window alone finalised (it ended before the gap) equal the uninterrupted run
            long finalAfterFirstWindow = h.settings.geometry().hopFrames() / h.settings.geometry().pooling();
            for (long f = 0; f < finalAfterFirstWindow; f++) {
                assertArrayEquals(referenceScores.byFrame.get(f), track.byFrame.get(f), 0f);
            }
        }
    }

    @Test
    void aNewStreamIdClosesTheOldStreamCleanly() {
        List<AudioChunk> first = TestAudio.chunks("s1", audio, 1600);
        List<AudioChunk> second = TestAudio.chunks("s2", audio, 1600);
        try (TopologyHarness h = harness("new-stream")) {
            h.sendAll("mic-1", first.subList(0, first.size() / 2));        // no end-of-stream for s1
            h.sendAll("mic-1", second);
            Map<String, List<SoundEvent>> byStream = h.eventLog.stream()
                    .collect(Collectors.groupingBy(SoundEvent::streamId, HashMap::new, Collectors.toList()));
            assertEveryStartHasOneEnd(byStream.getOrDefault("s1", List.of()));
            assertEquals(referenceEvents.stream().map(e -> e.eventId()).toList(),
                    byStream.get("s2").stream().map(e -> EventIds.of("mic-1", "s1", e.label(), e.onsetSample())).toList(),
                    "the new stream is analysed from scratch like the reference");
            // every s1 record comes before the first s2 record
            int lastS1 = -1;
            int firstS2 = Integer.MAX_VALUE;
            for (int i = 0; i < h.eventLog.size(); i++) {
                if (h.eventLog.get(i).streamId().equals("s1")) {
                    lastS1 = i;
                } else {
                    firstS2 = Math.min(firstS2, i);
                }
            }
            assertTrue(lastS1 < firstS2);
            assertFalse(ScoreTrack.of(h.scoreLog, "s1").byFrame.isEmpty());
        }
    }

    @Test
    void aLoudMultichannelFloatChunkStartingANewStreamIsAnalysedAndTheSourceGoesOn() {
        // Stereo float samples near the float maximum are valid on the wire; their mix must stay finite,
        // or the first chunk of the new stream fails after the old stream was already ended, and every
        // later chunk of that source fails again on the half-cleared old stream.
        List<AudioChunk> first = TestAudio.chunks("s1", audio, 1600);
        List<AudioChunk> second = new ArrayList<>(TestAudio.chunks("s2", audio, 1600));
        AudioChunk c0 = second.get(0);
        java.nio.ByteBuffer loud = java.nio.ByteBuffer.allocate(c0.frameCount() * 2 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < c0.frameCount() * 2; i++) {
            loud.putFloat(i % 4 < 2 ? 3e38f : -3e38f);
        }
        second.set(0, new AudioChunk("s2", c0.sequence(), c0.firstSampleIndex(), c0.captureTimeMicros(), 16000, 2,
                io.earshot.protocol.SampleEncoding.FLOAT32LE, false, loud.array()));
        try (TopologyHarness h = harness("loud-new-stream")) {
            h.sendAll("mic-1", first.subList(0, first.size() / 2));
            h.sendAll("mic-1", second);
            assertTrue(h.dlqLog.isEmpty(), () -> h.dlqLog.size() + " records dead-lettered, the first: " + new String(
                    h.dlqLog.get(0).headers().lastHeader("earshot.dlq.detail").value(), StandardCharsets.UTF_8));
            assertEveryStartHasOneEnd(h.eventLog.stream().filter(e -> e.streamId().equals("s1")).toList());
            long inputFrames = (audio.length - 1024) / 256 + 1;
            ScoreTrack.of(h.scoreLog, "s2").assertContiguousFrom(0, (inputFrames - 1) / model.manifest().timePooling());
        }
    }

    @Test
    void sourcesAreIndependent() {
        List<AudioChunk> a = TestAudio.chunks("s1", audio, 1600);
        List<AudioChunk> b = TestAudio.chunks("s1", audio, 4000);
        try (TopologyHarness h = harness("two-sources")) {
            int i = 0;
            int j = 0;
            while (i < a.size() || j < b.size()) {
                if (i < a.size()) {
                    h.send("mic-1", a.get(i++));
                }
                if (j < b.size() && (i % 3 == 0 || i >= a.size())) {
                    h.send("mic-2", b.get(j++));
                }
            }
            List<SoundEvent> mic1 = h.eventLog.stream().filter(e -> e.sourceId().equals("mic-1")).toList();
            assertEquals(referenceEvents, mic1);
            List<SoundEvent> mic2 = h.eventLog.stream().filter(e -> e.sourceId().equals("mic-2")).toList();
            assertEquals(referenceEvents.size(), mic2.size());
        }
    }

    @Test
    void anIdleSourceHasItsEventsClosedAndGoesOnWhenItComesBack() {
        try (TopologyHarness h = harness("idle")) {
            IdleSources.check(h, audio, referenceEvents);
        }
    }

    @Test
    void silenceWhileTheBrokerIsAwayDoesNotCountAsIdle() {
        try (TopologyHarness h = harness("broker-away")) {
            SoundEvent open = referenceEvents.stream().filter(e -> e.state() == SoundEvent.State.END
                            && e.onsetSample() > 2 * 16000 && e.offsetSample() < audio.length - 2 * 16000)
                    .max(java.util.Comparator.comparingLong(e -> e.offsetSample() - e.onsetSample())).orElseThrow();
            long cut = (open.onsetSample() + open.offsetSample()) / 2 / 1600 * 1600;
            for (AudioChunk c : TestAudio.chunks("s1", audio, 1600)) {
                if (c.firstSampleIndex() >= cut) {
                    break;
                }
                h.send("mic-1", c);
            }
            Duration idle = h.settings.idleTimeout();
            h.brokerAway();
            h.advance(idle.multipliedBy(3));
            assertTrue(h.eventLog.stream().noneMatch(e -> e.endReason() == SoundEvent.EndReason.IDLE),
                    "nothing is idle while the broker is away");
            h.brokerBack();
            h.advance(h.settings.idleCheckInterval()); // the check that sees it back
            h.advance(idle.minus(h.settings.idleCheckInterval().multipliedBy(2)));
            assertTrue(h.eventLog.stream().noneMatch(e -> e.endReason() == SoundEvent.EndReason.IDLE),
                    "the idle time starts again when the broker is back");
            h.advance(h.settings.idleCheckInterval().multipliedBy(4));
            assertTrue(h.eventLog.stream().anyMatch(e -> e.endReason() == SoundEvent.EndReason.IDLE
                            && e.label().equals(open.label()) && e.onsetSample() == open.onsetSample()),
                    "closed once the broker has answered for the idle time: " + h.eventLog);
        }
    }
}
