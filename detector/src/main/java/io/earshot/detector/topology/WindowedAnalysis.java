package io.earshot.detector.topology;

import io.earshot.detector.inference.BatchingInferenceExecutor;
import io.earshot.detector.scoring.ScoredBlock;
import io.earshot.detector.state.DecodeProgress;
import io.earshot.detector.state.FrameStore;
import io.earshot.detector.state.SourceStream;
import io.earshot.detector.window.SegmentScorer;
import io.earshot.detector.window.WindowGeometry;
import io.earshot.dsp.features.LogMelFrame;
import io.earshot.dsp.features.LogMelSpec;
import io.earshot.protocol.SoundEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Windowed mode: every complete window of a source goes to the batching executor as soon as its frames
 * are there; finished windows are folded, per source and in order, into overlap-averaged scores and
 * events. The frames windows still need live in the {@link FrameStore}, the overlap sums and decoder
 * snapshots in {@link DecodeProgress}.
 *
 * <p>A window counts as applied only in the transaction that publishes its output; windows submitted
 * but not applied when the task stops are found again from the stores ({@link #resume}) and recomputed,
 * which gives the same result because inference is deterministic.
 */
final class WindowedAnalysis implements Analysis {

    /** Windows in flight per task before the stream thread waits for the model (about 10 MB of input). */
    static final int MAX_PENDING_WINDOWS = 64;

    private record PendingWindow(long index, long startFrame, CompletableFuture<float[][]> result) {
    }

    private final DetectionSettings settings;
    private final BatchingInferenceExecutor<float[][], float[][]> executor;
    private final LogMelSpec spec;
    private final WindowGeometry geometry;

    private KeyValueStore<String, SourceStream> streams;
    private KeyValueStore<String, DecodeProgress> decode;
    private FrameStore frames;
    private SegmentOutput out;
    /** Windows submitted and not yet applied, by source, oldest first. Lost on close; recomputed on init. */
    private final Map<String, ArrayDeque<PendingWindow>> pending = new LinkedHashMap<>();
    private int pendingWindows;

    WindowedAnalysis(DetectionSettings settings, BatchingInferenceExecutor<float[][], float[][]> executor) {
        this.settings = settings;
        this.executor = executor;
        this.spec = settings.manifest().features();
        this.geometry = settings.geometry();
    }

    @Override
    public void init(ProcessorContext<String, Object> context, KeyValueStore<String, SourceStream> streams,
                     SegmentOutput out) {
        this.streams = streams;
        this.out = out;
        this.decode = context.getStateStore(DetectorTopology.DECODE_STORE);
        KeyValueStore<Bytes, byte[]> frameKv = context.getStateStore(DetectorTopology.FRAMES_STORE);
        this.frames = new FrameStore(frameKv, spec.nMels());
        pending.clear();
        pendingWindows = 0;
    }

    @Override
    public void resume(String source, SourceStream stream) {
        submitReady(source, stream);
    }

    @Override
    public void startSegment(String source) {
        ArrayDeque<PendingWindow> stale = pending.remove(source);
        pendingWindows -= stale == null ? 0 : stale.size();
        frames.deleteAll(source);
        decode.delete(source);
    }

    @Override
    public SourceStream framesMade(String source, SourceStream stream, List<LogMelFrame> made) {
        frames.append(source, made);
        submitReady(source, stream);
        return stream;
    }

    /** Submits every complete window of the source that is neither applied nor already submitted. */
    private void submitReady(String source, SourceStream s) {
        ArrayDeque<PendingWindow> queue = pending.computeIfAbsent(source, k -> new ArrayDeque<>());
        long next = s.applied() + queue.size();
        long available = s.framesEnd();
        while (geometry.windowStart(s.originFrame(), next) + geometry.windowFrames() <= available) {
            long start = geometry.windowStart(s.originFrame(), next);
            float[][] window = frames.read(source, start, geometry.windowFrames());
            queue.add(new PendingWindow(next, start, executor.submit(window)));
            pendingWindows++;
            next++;
        }
        if (queue.isEmpty()) {
            pending.remove(source);
        }
    }

    @Override
    public boolean overloaded() {
        return pendingWindows > MAX_PENDING_WINDOWS;
    }

    /**
     * Applies, per source and in window order, every window whose inference has finished; the stream
     * thread does not wait for the model here, so reading audio and inference overlap. Only when more
     * than {@link #MAX_PENDING_WINDOWS} windows are outstanding does it wait (back-pressure), and a
     * segment's end waits for all of its windows.
     */
    @Override
    public void applyFinished(boolean backPressure) {
        for (String source : new ArrayList<>(pending.keySet())) {
            ArrayDeque<PendingWindow> queue = pending.get(source);
            ArrayDeque<PendingWindow> ready = new ArrayDeque<>();
            while (!queue.isEmpty() && (backPressure || queue.peek().result().isDone())) {
                ready.add(queue.poll());
            }
            if (queue.isEmpty()) {
                pending.remove(source);
            }
            pendingWindows -= ready.size();
            if (ready.isEmpty()) {
                continue;
            }
            SourceStream s = streams.get(source);
            if (s == null || !s.open()) {
                continue;
            }
            streams.put(source, applyWindows(source, s, ready));
        }
    }

    /** Folds the given windows (waiting for their results) into the source's scores and publishes. */
    private SourceStream applyWindows(String source, SourceStream s, ArrayDeque<PendingWindow> queue) {
        if (queue.isEmpty()) {
            return s;
        }
        SegmentScorer scorer = loadScorer(source, s);
        PendingWindow w;
        while ((w = queue.poll()) != null) {
            float[][] probs = await(source, s, w.result(), w.startFrame(), geometry.windowFrames());
            ScoredBlock block = scorer.addWindow(w.startFrame(), probs, w.startFrame() + geometry.hopFrames());
            out.scored(source, s, block, windowEndSample(w.startFrame(), geometry.windowFrames()));
            s = s.withApplied(w.index() + 1, s.held());
            frames.deleteBefore(source, w.startFrame() + geometry.hopFrames());
        }
        decode.put(source, scorer.snapshot());
        return s;
    }

    private long windowEndSample(long startFrame, int frameCount) {
        return spec.frameStartSample(startFrame + frameCount - 1) + spec.winLength();
    }

    /** The window's output, or null (after sending it to the dead-letter topic) when its inference failed. */
    private float[][] await(String source, SourceStream s, CompletableFuture<float[][]> result, long startFrame,
                            int frameCount) {
        try {
            return InferenceResults.await(result, settings.inferenceTimeout());
        } catch (InferenceResults.Failed e) {
            out.inferenceFailed(source, s, "window of input frames [" + startFrame + ", " + (startFrame + frameCount) + ")",
                    spec.frameStartSample(startFrame), windowEndSample(startFrame, frameCount), e);
            return null;
        }
    }

    /**
     * Applies every window, runs a partial last window from the next hop position to the last frame when
     * some frames were not covered by a full window, makes every frame final, closes open events and
     * clears the segment's state.
     */
    @Override
    public SourceStream endSegment(String source, SourceStream s, SoundEvent.EndReason reason) {
        submitReady(source, s);
        ArrayDeque<PendingWindow> queue = pending.remove(source);
        if (queue != null) {
            pendingWindows -= queue.size();
            s = applyWindows(source, s, queue);
        }
        SegmentScorer scorer = loadScorer(source, s);
        long end = s.framesEnd();
        long coveredTo = s.applied() == 0 ? s.originFrame()
                : geometry.windowStart(s.originFrame(), s.applied() - 1) + geometry.windowFrames();
        float[][] probs = null;
        long start = s.originFrame();
        if (end > coveredTo) {
            // The partial last window starts where the next full window would have: frames before it are
            // final already, so no window reaches back over them.
            start = geometry.windowStart(s.originFrame(), s.applied());
            float[][] window = frames.read(source, start, (int) (end - start));
            probs = await(source, s, executor.submit(window), start, window.length);
        }
        ScoredBlock block = scorer.finish(start, probs, reason);
        out.scored(source, s, block, s.nextExpectedSample());
        frames.deleteAll(source);
        decode.delete(source);
        return s;
    }

    private SegmentScorer loadScorer(String source, SourceStream s) {
        DecodeProgress progress = decode.get(source);
        return progress == null
                ? SegmentScorer.start(geometry, settings.weighting(), settings.decoders(), s.originFrame())
                : SegmentScorer.restore(geometry, settings.weighting(), settings.decoders(), progress);
    }

    @Override
    public void close() {
        pending.clear();
        pendingWindows = 0;
    }
}
