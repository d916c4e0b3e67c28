package io.earshot.detector.topology;

import io.earshot.detector.DetectorMetrics;
import io.earshot.detector.DlqReason;
import io.earshot.detector.inference.BatchingInferenceExecutor;
import io.earshot.detector.state.DecodeProgress;
import io.earshot.detector.state.FrameStore;
import io.earshot.detector.state.SourceStream;
import io.earshot.detector.window.SegmentScorer;
import io.earshot.detector.window.WindowGeometry;
import io.earshot.dsp.features.FramerState;
import io.earshot.dsp.features.LogMelFrame;
import io.earshot.dsp.features.LogMelSpec;
import io.earshot.dsp.features.StreamingFramer;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkCodec;
import io.earshot.protocol.DecodeResult;
import io.earshot.protocol.SoundEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector's stream processor (one instance per task): admits or dead-letters each audio chunk,
 * turns admitted audio into log-mel frames, submits every window that is complete to the shared
 * batching inference executor, and on a short wall-clock punctuation folds finished windows into the
 * scores and events of their source.
 *
 * <p>The state stores are the truth: a window is only counted as applied in the same transaction
 * that publishes its scores and events. Windows submitted but not applied when a task stops are
 * found again from the stores on the next start ({@link #init}) and recomputed, which gives the same
 * result because inference is deterministic.
 */
final class AudioProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(AudioProcessor.class);
    private static final int MAX_SOURCE_ID_BYTES = 1024;
    /** Windows in flight per task before the stream thread waits for the model (about 10 MB of input). */
    static final int MAX_PENDING_WINDOWS = 64;
    static final int MAX_SCORE_FRAMES_PER_RECORD = 256;

    private record PendingWindow(long index, long startFrame, CompletableFuture<float[][]> result) {
    }

    private final DetectionSettings settings;
    private final BatchingInferenceExecutor executor;
    private final DetectorMetrics metrics;
    private final LongSupplier nowMicros;
    private final LogMelSpec spec;
    private final WindowGeometry geometry;
    private final EventRecords records;
    private final String settingsKey;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> streams;
    private KeyValueStore<String, byte[]> decode;
    private FrameStore frames;
    /** Live framers by source, so a chunk does not rebuild the FFT plan; the store holds their snapshots. */
    private final Map<String, StreamingFramer> framers = new HashMap<>();
    /** Windows submitted and not yet applied, by source, oldest first. Lost on close; recomputed on init. */
    private final Map<String, ArrayDeque<PendingWindow>> pending = new LinkedHashMap<>();
    private int pendingWindows;

    AudioProcessor(DetectionSettings settings, BatchingInferenceExecutor executor, DetectorMetrics metrics,
                   LongSupplier nowMicros) {
        this.settings = settings;
        this.executor = executor;
        this.metrics = metrics;
        this.nowMicros = nowMicros;
        this.spec = settings.manifest().features();
        this.geometry = settings.geometry();
        this.records = new EventRecords(settings.manifest());
        this.settingsKey = settings.stateKey();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.streams = context.getStateStore(DetectorTopology.STREAMS_STORE);
        this.decode = context.getStateStore(DetectorTopology.DECODE_STORE);
        KeyValueStore<Bytes, byte[]> frameKv = context.getStateStore(DetectorTopology.FRAMES_STORE);
        this.frames = new FrameStore(frameKv, spec.nMels());
        framers.clear();
        pending.clear();
        pendingWindows = 0;
        // Windows that were ready but not applied before a restart are submitted again.
        try (KeyValueIterator<String, byte[]> it = streams.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                SourceStream s = SourceStream.fromBytes(kv.value);
                if (!s.ended() && !s.compatibleWith(settingsKey)) {
                    // Read with these settings, the open stream's windows and frames would be misread (a
                    // smaller hop looks for frames already deleted): stop here, with the remedy.
                    throw new IncompatibleStateException(kv.key, context.applicationId(), s.settingsKey(), settingsKey);
                }
                if (!s.ended()) {
                    submitReady(kv.key, s);
                }
            }
        }
        context.schedule(settings.applyInterval(), PunctuationType.WALL_CLOCK_TIME, now -> applyFinished(false));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String source = record.key();
        if (source == null || source.isEmpty()) {
            deadLetter(record, DlqReason.MALFORMED, "audio record has no source id (the record key is empty)");
            return;
        }
        if (source.getBytes(StandardCharsets.UTF_8).length > MAX_SOURCE_ID_BYTES) {
            deadLetter(record, DlqReason.MALFORMED, "source id is longer than " + MAX_SOURCE_ID_BYTES + " bytes");
            return;
        }
        DecodeResult result = AudioChunkCodec.decode(record.value());
        if (result instanceof DecodeResult.Rejected rejected) {
            DlqReason reason = rejected.reason().startsWith("unsupported wire format version")
                    ? DlqReason.UNKNOWN_VERSION : DlqReason.MALFORMED;
            deadLetter(record, reason, rejected.reason());
            return;
        }
        AudioChunk chunk = ((DecodeResult.Decoded) result).chunk();
        try {
            admit(source, chunk, record);
            if (pendingWindows > MAX_PENDING_WINDOWS) {
                applyFinished(true);
            }
        } catch (RuntimeException e) {
            // A defect must not stop every other source: this chunk is set aside with the error.
            LOG.error("processing chunk {} of stream {} from source {} failed", chunk.sequence(), chunk.streamId(), source, e);
            framers.remove(source);
            deadLetter(record, DlqReason.PROCESSING_FAILED, e.toString());
        }
    }

    private void admit(String source, AudioChunk chunk, Record<String, byte[]> record) {
        SourceStream current = load(source);
        switch (Admission.of(chunk, current, spec.sampleRate())) {
            case UNSUPPORTED_FORMAT -> {
                deadLetter(record, DlqReason.UNSUPPORTED_FORMAT, "stream " + chunk.streamId() + " has sample rate "
                        + chunk.sampleRate() + " Hz; the model needs " + spec.sampleRate() + " Hz (resample at ingest)");
                return;
            }
            case BACK_IN_TIME -> {
                deadLetter(record, DlqReason.BACK_IN_TIME, "chunk " + chunk.sequence() + " of stream " + chunk.streamId()
                        + " covers samples [" + chunk.firstSampleIndex() + ", " + chunk.endSampleIndex()
                        + ") but the stream already reached sample " + current.nextExpectedSample()
                        + " at sequence " + current.lastSequence());
                return;
            }
            case DUPLICATE -> {
                metrics.duplicate();
                return;
            }
            case NEW_STREAM -> {
                if (current != null && !current.ended()) {
                    endSegment(source, current);
                }
                current = newSegment(source, chunk, null);
            }
            case GAP -> {
                metrics.gap();
                if (!current.ended()) {
                    endSegment(source, current);
                }
                current = newSegment(source, chunk, current);
            }
            case CONTINUE -> {
                // the common case: nothing to set up
            }
        }
        current = appendAudio(source, current, chunk);
        if (chunk.endOfStream()) {
            endSegment(source, current);
            current = current.asEnded(chunk.sequence());
        }
        streams.put(source, current.toBytes());
    }

    private SourceStream newSegment(String source, AudioChunk chunk, SourceStream sameStream) {
        framers.remove(source);
        ArrayDeque<PendingWindow> stale = pending.remove(source);
        pendingWindows -= stale == null ? 0 : stale.size();
        frames.deleteAll(source);
        decode.delete(source);
        long lastSequence = sameStream == null ? Long.MIN_VALUE : sameStream.lastSequence();
        long origin = geometry.alignedOriginAtOrAfter(chunk.firstSampleIndex());
        return new SourceStream(chunk.streamId(), chunk.sampleRate(), chunk.captureTimeMicrosOfSampleZero(),
                chunk.firstSampleIndex(), lastSequence, false, origin, 0, new FramerState(false, 0, 0, new float[0]),
                settingsKey);
    }

    private SourceStream appendAudio(String source, SourceStream s, AudioChunk chunk) {
        FramerState framerState = s.framer();
        long first = chunk.firstSampleIndex();
        if (chunk.frameCount() > 0) {
            float[] samples = chunk.toMonoFloats();
            // A segment starts on the output-frame grid; samples before its first frame are not analysed.
            long segmentStart = spec.frameStartSample(s.originFrame());
            int skip = (int) Math.min(samples.length, Math.max(0, segmentStart - first));
            if (skip < samples.length) {
                StreamingFramer framer = framers.get(source);
                if (framer == null) {
                    framer = framerState.started() ? StreamingFramer.restore(spec, framerState) : new StreamingFramer(spec);
                    framers.put(source, framer);
                }
                float[] part = skip == 0 ? samples : Arrays.copyOfRange(samples, skip, samples.length);
                List<LogMelFrame> made = framer.push(first + skip, part);
                frames.append(source, made);
                framerState = framer.snapshot();
                metrics.audio(source, part.length, s.sampleRate());
            }
        }
        SourceStream updated = s.withFramer(framerState, chunk.endSampleIndex(), chunk.sequence());
        submitReady(source, updated);
        return updated;
    }

    /** Submits every complete window of the source that is neither applied nor already submitted. */
    private void submitReady(String source, SourceStream s) {
        ArrayDeque<PendingWindow> queue = pending.computeIfAbsent(source, k -> new ArrayDeque<>());
        long next = s.windowsApplied() + queue.size();
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

    /**
     * Applies, per source and in window order, every window whose inference has finished; the stream
     * thread does not wait for the model here, so reading audio and inference overlap. Only when more
     * than {@link #MAX_PENDING_WINDOWS} windows are outstanding does it wait (back-pressure), and a
     * stream's end waits for all of its windows.
     */
    private void applyFinished(boolean waitForAll) {
        for (String source : new ArrayList<>(pending.keySet())) {
            ArrayDeque<PendingWindow> queue = pending.get(source);
            ArrayDeque<PendingWindow> ready = new ArrayDeque<>();
            while (!queue.isEmpty() && (waitForAll || queue.peek().result().isDone())) {
                ready.add(queue.poll());
            }
            if (queue.isEmpty()) {
                pending.remove(source);
            }
            pendingWindows -= ready.size();
            if (ready.isEmpty()) {
                continue;
            }
            SourceStream s = load(source);
            if (s == null || s.ended()) {
                continue;
            }
            streams.put(source, applyWindows(source, s, ready).toBytes());
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
            float[][] probs = await(w.result(), source, w.startFrame());
            SegmentScorer.ScoredBlock block = scorer.addWindow(w.startFrame(), probs, w.startFrame() + geometry.hopFrames());
            long windowEndSample = spec.frameStartSample(w.startFrame() + geometry.windowFrames() - 1) + spec.winLength();
            publish(source, s, block, windowEndSample);
            s = s.withWindowsApplied(w.index() + 1);
            frames.deleteBefore(source, w.startFrame() + geometry.hopFrames());
        }
        decode.put(source, scorer.snapshot().toBytes());
        return s;
    }

    /**
     * Ends the current segment of a source (end of stream, gap or new stream): applies every window,
     * runs a partial last window from the next hop position to the last frame when some frames were not
     * covered by a full window, makes every frame final, closes open events and clears the segment's state.
     */
    private void endSegment(String source, SourceStream s) {
        submitReady(source, s);
        ArrayDeque<PendingWindow> queue = pending.remove(source);
        if (queue != null) {
            pendingWindows -= queue.size();
            s = applyWindows(source, s, queue);
        }
        SegmentScorer scorer = loadScorer(source, s);
        long end = s.framesEnd();
        long coveredTo = s.windowsApplied() == 0 ? s.originFrame()
                : geometry.windowStart(s.originFrame(), s.windowsApplied() - 1) + geometry.windowFrames();
        float[][] probs = null;
        long start = s.originFrame();
        if (end > coveredTo) {
            // The partial last window starts where the next full window would have: frames before it are
            // final already, so no window reaches back over them.
            start = geometry.windowStart(s.originFrame(), s.windowsApplied());
            float[][] window = frames.read(source, start, (int) (end - start));
            probs = await(executor.submit(window), source, start);
        }
        SegmentScorer.ScoredBlock block = scorer.finish(start, probs);
        publish(source, s, block, s.nextExpectedSample());
        frames.deleteAll(source);
        decode.delete(source);
        framers.remove(source);
    }

    private void publish(String source, SourceStream s, SegmentScorer.ScoredBlock block, long decidingSample) {
        // Output records carry the wall-clock time they are published at (capture times are in the JSON):
        // a replay of old audio must not produce records that time-based retention deletes at once.
        long now = nowMicros.getAsLong();
        long ts = now / 1000;
        long decidedAt = EventRecords.captureMicros(s, decidingSample);
        metrics.windowPublished(now - decidedAt);
        if (settings.emitScores()) {
            // A block of at most 256 frames is about 40 KB of JSON, far below the 1 MB record limit.
            float[][] rows = block.scores();
            for (int from = 0; from < rows.length; from += MAX_SCORE_FRAMES_PER_RECORD) {
                float[][] part = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + MAX_SCORE_FRAMES_PER_RECORD));
                context.forward(new Record<>(source, records.scores(source, s, block.firstFrame() + from, part), ts),
                        DetectorTopology.SCORES_SINK);
            }
        }
        for (SegmentScorer.LabelTransition t : block.transitions()) {
            SoundEvent event = records.event(source, s, t.label(), t.transition());
            boolean start = event.state() == SoundEvent.State.START;
            context.forward(new Record<>(source, event, ts), DetectorTopology.EVENTS_SINK);
            metrics.event(event.label(), start, now - decidedAt, start ? now - event.onsetTimeMicros() : -1);
        }
    }

    private float[][] await(CompletableFuture<float[][]> future, String source, long startFrame) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the window at frame " + startFrame
                    + " of source " + source, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("inference failed for the window at frame " + startFrame + " of source "
                    + source + ": " + e.getCause(), e.getCause());
        }
    }

    private SourceStream load(String source) {
        byte[] bytes = streams.get(source);
        return bytes == null ? null : SourceStream.fromBytes(bytes);
    }

    private SegmentScorer loadScorer(String source, SourceStream s) {
        byte[] bytes = decode.get(source);
        return bytes == null
                ? SegmentScorer.start(geometry, settings.weighting(), settings.decoders(), s.originFrame())
                : SegmentScorer.restore(geometry, settings.weighting(), settings.decoders(), DecodeProgress.fromBytes(bytes));
    }

    private void deadLetter(Record<String, byte[]> record, DlqReason reason, String detail) {
        metrics.rejected(reason);
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(DetectorTopology.DLQ_REASON_HEADER, reason.code().getBytes(StandardCharsets.UTF_8));
        headers.add(DetectorTopology.DLQ_DETAIL_HEADER, detail.getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent(m -> headers.add(DetectorTopology.DLQ_ORIGIN_HEADER,
                (m.topic() + "-" + m.partition() + "@" + m.offset()).getBytes(StandardCharsets.UTF_8)));
        LOG.warn("audio record from source {} dead-lettered ({}): {}", record.key(), reason.code(), detail);
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers),
                DetectorTopology.DLQ_SINK);
    }

    @Override
    public void close() {
        // Submitted windows are simply dropped: the stores still say they are not applied.
        pending.clear();
        pendingWindows = 0;
        framers.clear();
    }
}
