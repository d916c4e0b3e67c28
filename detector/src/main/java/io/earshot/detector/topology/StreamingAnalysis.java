package io.earshot.detector.topology;

import io.earshot.detector.inference.BatchingInferenceExecutor;
import io.earshot.detector.inference.StreamBlock;
import io.earshot.detector.inference.StreamBlockOutput;
import io.earshot.detector.model.StreamingSpec;
import io.earshot.detector.scoring.EventDecoders;
import io.earshot.detector.scoring.ScoredBlock;
import io.earshot.detector.state.HeldFrames;
import io.earshot.detector.state.ModelProgress;
import io.earshot.detector.state.SourceStream;
import io.earshot.dsp.features.LogMelFrame;
import io.earshot.dsp.features.LogMelSpec;
import io.earshot.protocol.SoundEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Streaming mode (manifest {@code "kind": "streaming"}): each source's frames go through the model in
 * blocks of {@code block_frames x time_pooling} feature frames on the segment's frame grid, each block
 * with the state the source's previous block left. Every frame is computed once: no windows, no
 * overlap. Blocks of different sources share batches in the executor; one source has at most one block
 * in flight (the next needs its state).
 *
 * <p>Per source this keeps the frames not consumed yet (in {@link SourceStream#held()}, rewritten with
 * every chunk) and, per applied block, the model state and decoder snapshots ({@link ModelProgress}).
 * A block counts as applied only in the transaction that publishes its output, so a block in flight
 * when the task stops is recomputed from the stores on the next start, with the same result.
 *
 * <p>Output j of the segment (block j / block_frames, row j % block_frames) is the decision for output
 * frame j - lookahead_frames of the segment; earlier outputs are discarded. At the segment's end the
 * last partial block is completed with zero frames and all-zero blocks follow until every decision
 * frame of the segment's ceil(F / time_pooling) has been produced (F: the segment's feature frames).
 */
final class StreamingAnalysis implements Analysis {

    /** Blocks a source may hold unconsumed before the stream thread waits for the model. */
    static final int MAX_HELD_BLOCKS = 3;

    /** No limit on the decision frames a block may publish (the segment goes on). */
    private static final long UNBOUNDED = Long.MAX_VALUE / 2;

    private record PendingBlock(long index, CompletableFuture<StreamBlockOutput> result) {
    }

    private final DetectionSettings settings;
    private final BatchingInferenceExecutor<StreamBlock, StreamBlockOutput> executor;
    private final LogMelSpec spec;
    private final StreamingSpec streaming;
    private final int pooling;
    private final int blockInputFrames;

    private KeyValueStore<String, SourceStream> streams;
    private KeyValueStore<String, ModelProgress> models;
    private SegmentOutput out;
    /** The block in flight of each source (at most one). Lost on close; recomputed on init. */
    private final Map<String, PendingBlock> pending = new LinkedHashMap<>();
    private boolean lagging;

    StreamingAnalysis(DetectionSettings settings, BatchingInferenceExecutor<StreamBlock, StreamBlockOutput> executor) {
        this.settings = settings;
        this.executor = executor;
        this.spec = settings.manifest().features();
        this.streaming = settings.manifest().streaming();
        this.pooling = settings.manifest().timePooling();
        this.blockInputFrames = streaming.blockFrames() * pooling;
    }

    @Override
    public void init(ProcessorContext<String, Object> context, KeyValueStore<String, SourceStream> streams,
                     SegmentOutput out) {
        this.streams = streams;
        this.out = out;
        this.models = context.getStateStore(DetectorTopology.MODEL_STATE_STORE);
        pending.clear();
        lagging = false;
    }

    @Override
    public void resume(String source, SourceStream stream) {
        submitNext(source, stream);
    }

    @Override
    public void startSegment(String source) {
        pending.remove(source);
        models.delete(source);
    }

    @Override
    public SourceStream framesMade(String source, SourceStream stream, List<LogMelFrame> frames) {
        SourceStream s = stream.withHeld(stream.held().append(frames));
        submitNext(source, s);
        if (s.held().count() >= MAX_HELD_BLOCKS * blockInputFrames) {
            lagging = true;
        }
        return s;
    }

    /** Submits the source's next block when its frames are there and no block of the source is in flight. */
    private void submitNext(String source, SourceStream s) {
        if (pending.containsKey(source) || s.held().count() < blockInputFrames) {
            return;
        }
        pending.put(source, new PendingBlock(s.applied(), executor.submit(nextBlock(source, s))));
    }

    private StreamBlock nextBlock(String source, SourceStream s) {
        ModelProgress progress = models.get(source);
        float[] state = progress != null ? progress.modelState() : new float[streaming.stateSize()];
        return new StreamBlock(s.held().firstPadded(blockInputFrames), state);
    }

    @Override
    public boolean overloaded() {
        return lagging;
    }

    @Override
    public void applyFinished(boolean backPressure) {
        for (String source : new ArrayList<>(pending.keySet())) {
            PendingBlock p = pending.get(source);
            if (!backPressure && !p.result().isDone()) {
                continue;
            }
            pending.remove(source);
            SourceStream s = streams.get(source);
            if (s == null || !s.open() || s.applied() != p.index()) {
                continue;
            }
            s = apply(source, s, p.result(), UNBOUNDED);
            streams.put(source, s);
            submitNext(source, s);
        }
        lagging = false;
    }

    /**
     * Waits for the block's result and publishes its decision frames below {@code decisionLimit}
     * (segment-relative); on a failed block the frames count as silence and the model state starts over.
     */
    private SourceStream apply(String source, SourceStream s, CompletableFuture<StreamBlockOutput> result,
                               long decisionLimit) {
        long index = s.applied();
        HeldFrames held = s.held();
        StreamBlockOutput output;
        try {
            output = InferenceResults.await(result, settings.inferenceTimeout());
        } catch (InferenceResults.Failed e) {
            long first = held.firstFrame();
            out.inferenceFailed(source, s, "block " + index + " (input frames [" + first + ", " + (first + blockInputFrames)
                    + "))", spec.frameStartSample(first), spec.frameStartSample(first + blockInputFrames - 1)
                    + spec.winLength(), e);
            output = new StreamBlockOutput(new float[streaming.blockFrames()][settings.manifest().labels().size()],
                    new float[streaming.stateSize()]);
        }
        long firstOutput = index * streaming.blockFrames();
        long from = Math.max(firstOutput, streaming.lookaheadFrames());
        long to = Math.min(firstOutput + output.probs().length, Math.addExact(decisionLimit, streaming.lookaheadFrames()));
        float[][] rows = from < to
                ? Arrays.copyOfRange(output.probs(), (int) (from - firstOutput), (int) (to - firstOutput)) : new float[0][];
        ModelProgress progress = models.get(source);
        EventDecoders decoders = progress == null ? EventDecoders.start(settings.decoders())
                : EventDecoders.restore(settings.decoders(), progress.decoders());
        long firstDecision = s.originFrame() / pooling + from - streaming.lookaheadFrames();
        ScoredBlock block = decoders.decide(firstDecision, rows, null);
        long newestFrame = held.firstFrame() + Math.min(held.count(), blockInputFrames) - 1;
        out.scored(source, s, block, spec.frameStartSample(Math.max(newestFrame, s.originFrame())) + spec.winLength());
        models.put(source, new ModelProgress(output.state(), decoders.snapshot()));
        return s.withApplied(index + 1, held.drop(blockInputFrames));
    }

    @Override
    public SourceStream endSegment(String source, SourceStream s, SoundEvent.EndReason reason) {
        PendingBlock inFlight = pending.remove(source);
        if (inFlight != null && inFlight.index() == s.applied()) {
            s = apply(source, s, inFlight.result(), UNBOUNDED);
        }
        long featureFrames = s.framesEnd() - s.originFrame();
        long decisionFrames = (featureFrames + pooling - 1) / pooling;
        long outputsNeeded = decisionFrames + streaming.lookaheadFrames();
        long blocksNeeded = featureFrames == 0 ? 0 : (outputsNeeded + streaming.blockFrames() - 1) / streaming.blockFrames();
        while (s.applied() < blocksNeeded) {
            // the rest of the frames, then zero frames (0.0 in normalised space), as the reference does
            s = apply(source, s, executor.submit(nextBlock(source, s)), decisionFrames);
        }
        ModelProgress progress = models.get(source);
        if (progress != null) {
            EventDecoders decoders = EventDecoders.restore(settings.decoders(), progress.decoders());
            long next = s.originFrame() / pooling + decisionFrames;
            out.scored(source, s, decoders.decide(next, new float[0][], reason), s.nextExpectedSample());
        }
        models.delete(source);
        return s;
    }

    @Override
    public void close() {
        pending.clear();
        lagging = false;
    }
}
