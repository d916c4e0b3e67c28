package io.earshot.detector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.detector.DetectorConfig;
import io.earshot.detector.DetectorMetrics;
import io.earshot.detector.DetectorService;
import io.earshot.detector.TestAudio;
import io.earshot.detector.TestModels;
import io.earshot.detector.ThresholdOverride;
import io.earshot.detector.inference.BatchingInferenceExecutor;
import io.earshot.detector.model.OnnxModel;
import io.earshot.detector.state.DecodeProgress;
import io.earshot.detector.state.SourceStream;
import io.earshot.detector.state.StateSerde;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.SoundEvent;
import io.earshot.telemetry.WorkCounters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task that stops while a window is at the model (submitted, not applied) loses nothing: the next
 * processor instance on the same stores finds the window from the stored state and recomputes it.
 */
class AudioProcessorRestartTest {

    private static OnnxModel model;
    private static DetectionSettings settings;
    private static BatchingInferenceExecutor<float[][], float[][]> executor;
    private static DetectorMetrics metrics;
    private static List<AudioChunk> chunks;

    @BeforeAll
    static void setUp() {
        model = TestModels.load();
        float[] audio = TestAudio.scene(31.3);
        Map<String, ThresholdOverride> thresholds = TestModels.thresholdsFor(model, audio);
        settings = DetectorService.settings(DetectorConfig.builder(new Properties()).model(model.path())
                .thresholds(thresholds).build(), model.manifest());
        metrics = new DetectorMetrics(new SimpleMeterRegistry(), new WorkCounters());
        executor = BatchingInferenceExecutor.forWindows(model::run, 1, 8, Duration.ZERO, metrics);
        chunks = TestAudio.chunks("s1", audio, 1600);
    }

    @AfterAll
    static void tearDown() {
        executor.close();
        model.close();
    }

    /** A processor context with in-memory stores (the stores outlive processor instances, as after a restore). */
    private static MockProcessorContext<String, Object> context() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(0);
        KeyValueStore<String, SourceStream> streams = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(DetectorTopology.STREAMS_STORE), Serdes.String(),
                new StateSerde<>(SourceStream::toBytes, SourceStream::fromBytes)).withLoggingDisabled().build();
        streams.init(context.getStateStoreContext(), streams);
        context.addStateStore(streams);
        KeyValueStore<String, DecodeProgress> decode = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(DetectorTopology.DECODE_STORE), Serdes.String(),
                new StateSerde<>(DecodeProgress::toBytes, DecodeProgress::fromBytes)).withLoggingDisabled().build();
        decode.init(context.getStateStoreContext(), decode);
        context.addStateStore(decode);
        KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> frames = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(DetectorTopology.FRAMES_STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        frames.init(context.getStateStoreContext(), frames);
        context.addStateStore(frames);
        return context;
    }

    private static AudioProcessor start(MockProcessorContext<String, Object> context) {
        return start(context, settings);
    }

    private static AudioProcessor start(MockProcessorContext<String, Object> context, DetectionSettings with) {
        AudioProcessor p = new AudioProcessor(with, new WindowedAnalysis(with, executor), metrics, () -> 0L,
                BrokerContact.ALWAYS);
        p.init(context);
        return p;
    }

    /** The newest punctuator that applies finished inference (the other one closes idle sources). */
    private static org.apache.kafka.streams.processor.Punctuator applyPunctuator(MockProcessorContext<String, Object> context) {
        List<MockProcessorContext.CapturedPunctuator> all = context.scheduledPunctuators();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).getInterval().equals(settings.applyInterval())) {
                return all.get(i).getPunctuator();
            }
        }
        throw new AssertionError("no apply punctuator scheduled");
    }

    private static void feed(AudioProcessor p, MockProcessorContext<String, Object> context, List<AudioChunk> some) {
        for (AudioChunk c : some) {
            p.process(new Record<>("mic", TestAudio.encode(c), 0L));
            applyPunctuator(context).punctuate(0L);
        }
    }

    /** Punctuates until {@code blocks} score blocks are out (inference runs on its own thread). */
    private static void awaitScores(MockProcessorContext<String, Object> context, int blocks) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (context.forwarded(DetectorTopology.SCORES_SINK).size() < blocks && System.nanoTime() < deadline) {
            applyPunctuator(context).punctuate(0L);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<Object> outputs(MockProcessorContext<String, Object> context) {
        List<Object> out = new ArrayList<>();
        context.forwarded().forEach(f -> {
            Object v = f.record().value();
            // score rows are arrays: compare blocks by their content
            out.add(v instanceof FrameScores b ? b.firstFrameIndex() + ":" + b.scores().stream()
                    .map(java.util.Arrays::toString).toList() : v);
        });
        return out;
    }

    @Test
    void aWindowInFlightWhenTheTaskStopsIsRecomputedByTheNextInstance() {
        MockProcessorContext<String, Object> uninterrupted = context();
        AudioProcessor reference = start(uninterrupted);
        feed(reference, uninterrupted, chunks);
        reference.close();

        // the chunk that completes the second window (input frames [hop, hop + window))
        long secondWindowEnd = (long) (settings.geometry().hopFrames() + settings.geometry().windowFrames() - 1) * 256 + 1024;
        int cut = 0;
        while (chunks.get(cut).endSampleIndex() < secondWindowEnd) {
            cut++;
        }
        MockProcessorContext<String, Object> context = context();
        AudioProcessor first = start(context);
        feed(first, context, chunks.subList(0, cut));
        awaitScores(context, 1);                                                    // window 1 is applied
        first.process(new Record<>("mic", TestAudio.encode(chunks.get(cut)), 0L));   // window 2 goes to the model
        first.close();                                                                // and the task stops
        long scoreBlocks = context.forwarded(DetectorTopology.SCORES_SINK).size();
        AudioProcessor second = start(context);
        awaitScores(context, 2);
        assertEquals(2, context.forwarded(DetectorTopology.SCORES_SINK).size(),
                "the window in flight is recomputed at start, before any more audio arrives");
        feed(second, context, chunks.subList(cut + 1, chunks.size()));
        second.close();

        List<Object> want = outputs(uninterrupted);
        assertFalse(want.stream().noneMatch(o -> o instanceof SoundEvent), "the scene should produce events");
        assertEquals(1, scoreBlocks, "only the first window was applied before the stop");
        assertEquals(want, outputs(context));
    }

    @Test
    void aRestartWithASmallerHopOnAnOpenStreamFailsAtStartNamingTheSourceTheSettingsAndTheRemedy() {
        DetectionSettings smallerHop = DetectorService.settings(DetectorConfig.builder(new Properties())
                .model(model.path()).hopSeconds(1.0).build(), model.manifest());
        assertTrue(smallerHop.geometry().hopFrames() < settings.geometry().hopFrames());
        MockProcessorContext<String, Object> context = context();
        int half = chunks.size() / 2;
        AudioProcessor first = start(context);
        feed(first, context, chunks.subList(0, half));
        awaitScores(context, 1);
        first.close();
        int published = context.forwarded().size();

        IncompatibleStateException e = assertThrows(IncompatibleStateException.class, () -> start(context, smallerHop));
        String message = e.getMessage();
        assertTrue(message.contains("source mic "), message);
        assertTrue(message.contains("stored: " + settings.stateKey() + ";"), message);
        assertTrue(message.contains("now: " + smallerHop.stateKey() + ")"), message);
        assertTrue(message.contains("hop=" + settings.geometry().hopFrames() + " ")
                && message.contains("hop=" + smallerHop.geometry().hopFrames() + " "), message);
        assertTrue(message.contains("--application-id"), message);
        assertEquals(published, context.forwarded().size(), "nothing is published from misread state");

        // Thresholds are not part of the stored settings: other thresholds read the state on to the stream's end.
        DetectionSettings defaultThresholds = DetectorService.settings(DetectorConfig.builder(new Properties())
                .model(model.path()).build(), model.manifest());
        assertEquals(settings.stateKey(), defaultThresholds.stateKey());
        AudioProcessor resumed = start(context, defaultThresholds);
        feed(resumed, context, chunks.subList(half, chunks.size()));      // ends with the end-of-stream chunk
        resumed.close();
        assertTrue(SourceStream.fromBytes(storedStream(context)).ended());

        // Once the stream has ended, the smaller hop starts on the same state, and its new stream keeps it.
        AudioProcessor next = start(context, smallerHop);
        int before = context.forwarded(DetectorTopology.SCORES_SINK).size();
        List<AudioChunk> second = TestAudio.chunks("s2", TestAudio.scene(31.3), 1600);
        feed(next, context, second.subList(0, second.size() / 2));
        awaitScores(context, before + 1);
        assertTrue(context.forwarded(DetectorTopology.SCORES_SINK).size() > before, "the new stream is analysed");
        assertEquals(smallerHop.stateKey(), SourceStream.fromBytes(storedStream(context)).settingsKey());
        next.close();
    }

    @Test
    void stateWrittenBeforeTheSettingsWereKeptIsReadAsCompatible() {
        SourceStream old = SourceStream.segment("s1", 16000, 0, 0, 0, 0, 64, null);
        assertNull(SourceStream.fromBytes(old.toBytes()).settingsKey());
        assertTrue(old.compatibleWith(settings.stateKey()));
        MockProcessorContext<String, Object> context = context();
        KeyValueStore<String, SourceStream> streams = context.getStateStore(DetectorTopology.STREAMS_STORE);
        streams.put("mic", old);
        start(context).close();
    }

    private static byte[] storedStream(MockProcessorContext<String, Object> context) {
        KeyValueStore<String, SourceStream> streams = context.getStateStore(DetectorTopology.STREAMS_STORE);
        return streams.get("mic").toBytes();
    }
}
