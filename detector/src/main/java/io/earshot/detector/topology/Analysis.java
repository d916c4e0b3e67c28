package io.earshot.detector.topology;

import io.earshot.detector.state.SourceStream;
import io.earshot.dsp.features.LogMelFrame;
import io.earshot.protocol.SoundEvent;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How one processor instance turns log-mel frames into scores: {@link WindowedAnalysis} (overlapping
 * windows of a windowed model) or {@link StreamingAnalysis} (blocks of a streaming model with carried
 * state). The processor owns admission, framing and publishing; a mode owns its inference and its state.
 */
interface Analysis {

    /** Connects to the task's stores; {@code streams} is the per-source stream store both modes share. */
    void init(ProcessorContext<String, Object> context, KeyValueStore<String, SourceStream> streams, SegmentOutput out);

    /** After a (re)start: submits again what an open stream had ready but not published. */
    void resume(String source, SourceStream stream);

    /** A new segment of the source begins: forgets anything left of its previous one. */
    void startSegment(String source);

    /** Takes the frames a chunk produced in an open segment; returns the stream state to store. */
    SourceStream framesMade(String source, SourceStream stream, List<LogMelFrame> frames);

    /**
     * Publishes finished inference of every source (without waiting), or, with {@code backPressure},
     * first waits for enough of it that the work in flight is bounded.
     */
    void applyFinished(boolean backPressure);

    /** Whether so much work is in flight that the stream thread should wait ({@link #applyFinished(boolean)}). */
    boolean overloaded();

    /**
     * Ends the source's current segment: scores every frame left, closes open events giving
     * {@code reason}, clears the segment's state; returns the stream state to store.
     */
    SourceStream endSegment(String source, SourceStream stream, SoundEvent.EndReason reason);

    /** Forgets work in flight (the stores still say it is not applied). */
    void close();
}
