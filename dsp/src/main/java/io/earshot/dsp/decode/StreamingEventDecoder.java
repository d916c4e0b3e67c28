package io.earshot.dsp.decode;

import io.earshot.dsp.features.NonContiguousInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one class's stream of final output-frame scores into event transitions, frame by frame,
 * giving exactly the events of {@link BatchEventDecoder} (same frames, same confidences).
 *
 * <p>Latency, in output frames after the frame is pushed: a frame is decided medianFrames / 2 frames
 * later (the filter's lookahead); an {@link EventTransition.Onset} is returned once the event has lasted
 * minDurationFrames; an {@link EventTransition.Offset} once maxGapFrames + 1 inactive frames follow its
 * last active frame, or at {@link #flush()}.
 *
 * <p>The first score may carry any frame index (it becomes the left edge of the median filter); later
 * scores must follow without a gap. At the end of a stream, or at a gap, call {@link #flush()}: it
 * decides the remaining frames with the right edge at the last frame, closes the open event and
 * leaves the decoder fresh for a new stream. Not thread-safe; state round-trips through
 * {@link #snapshot()} / {@link #restore(DecoderConfig, DecoderState)}.
 */
public final class StreamingEventDecoder {

    private final DecoderConfig config;
    private final int window;
    private final int half;
    /** Input scores by frame: frame f lives at ring[floorMod(f, window)]. */
    private final float[] ring;
    private final float[] scratch;

    private boolean started;
    private long startFrame;
    private long nextFrame;
    private long nextDecide;
    private boolean active;
    private boolean eventOpen;
    private long eventStart;
    private long lastActive;
    private double runningSum;
    private double sumAtLastActive;
    private boolean onsetEmitted;

    public StreamingEventDecoder(DecoderConfig config) {
        this.config = config;
        this.window = config.medianFrames();
        this.half = window / 2;
        this.ring = new float[window];
        this.scratch = new float[window];
    }

    /** Resumes from a {@link #snapshot()} taken with the same median length. */
    public static StreamingEventDecoder restore(DecoderConfig config, DecoderState state) {
        StreamingEventDecoder d = new StreamingEventDecoder(config);
        if (!state.started()) {
            return d;
        }
        if (state.medianFrames() != config.medianFrames()) {
            throw new IllegalArgumentException("decoder state was made with medianFrames=" + state.medianFrames()
                    + ", config has " + config.medianFrames());
        }
        float[] recent = state.recent();
        long have = state.nextFrame() - state.startFrame();
        if (recent.length != Math.min(have, d.window) || state.nextDecide() < state.startFrame()
                || state.nextDecide() > state.nextFrame()) {
            throw new IllegalArgumentException("inconsistent decoder state: " + state);
        }
        for (int i = 0; i < recent.length; i++) {
            long frame = state.nextFrame() - recent.length + i;
            d.ring[Math.floorMod(frame, d.window)] = recent[i];
        }
        d.started = true;
        d.startFrame = state.startFrame();
        d.nextFrame = state.nextFrame();
        d.nextDecide = state.nextDecide();
        d.active = state.active();
        d.eventOpen = state.eventOpen();
        d.eventStart = state.eventStart();
        d.lastActive = state.lastActive();
        d.runningSum = state.runningSum();
        d.sumAtLastActive = state.sumAtLastActive();
        d.onsetEmitted = state.onsetEmitted();
        return d;
    }

    public DecoderConfig config() {
        return config;
    }

    /** The frame index the next score must carry, or -1 before the first score. */
    public long expectedNextFrame() {
        return started ? nextFrame : -1;
    }

    /**
     * Adds the score of frame {@code frameIndex} and returns what it decided (usually nothing).
     *
     * @throws NonContiguousInputException if the frame does not follow the previous one (state unchanged)
     * @throws IllegalArgumentException    if the score is NaN or infinite
     */
    public List<EventTransition> push(long frameIndex, float score) {
        if (started && frameIndex != nextFrame) {
            throw new NonContiguousInputException("frame scores", nextFrame, frameIndex);
        }
        if (!Float.isFinite(score)) {
            throw new IllegalArgumentException("score of frame " + frameIndex + " is not finite: " + score);
        }
        if (!started) {
            started = true;
            startFrame = frameIndex;
            nextFrame = frameIndex;
            nextDecide = frameIndex;
        }
        ring[Math.floorMod(nextFrame, window)] = score;
        nextFrame++;
        List<EventTransition> out = new ArrayList<>(1);
        while (nextDecide + half <= nextFrame - 1) {
            decide(nextDecide++, out);
        }
        return out;
    }

    /** Pushes consecutive scores starting at frame {@code firstFrameIndex}. */
    public List<EventTransition> pushAll(long firstFrameIndex, float[] scores) {
        List<EventTransition> out = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            out.addAll(push(firstFrameIndex + i, scores[i]));
        }
        return out;
    }

    /**
     * End of stream (or a gap): decides the frames still waiting for lookahead, as if the last frame
     * repeated, closes the open event and resets the decoder so the next score may start anywhere.
     */
    public List<EventTransition> flush() {
        List<EventTransition> out = new ArrayList<>(2);
        if (!started) {
            return out;
        }
        while (nextDecide < nextFrame) {
            decide(nextDecide++, out);
        }
        if (eventOpen && onsetEmitted) {
            out.add(closeEvent());
        }
        started = false;
        active = false;
        eventOpen = false;
        onsetEmitted = false;
        runningSum = 0;
        sumAtLastActive = 0;
        return out;
    }

    /** The state needed to resume exactly here. */
    public DecoderState snapshot() {
        if (!started) {
            return new DecoderState(false, 0, 0, 0, window, new float[0], false, false, 0, 0, 0, 0, false);
        }
        int n = (int) Math.min(nextFrame - startFrame, window);
        float[] recent = new float[n];
        for (int i = 0; i < n; i++) {
            recent[i] = ring[Math.floorMod(nextFrame - n + i, window)];
        }
        return new DecoderState(true, startFrame, nextFrame, nextDecide, window, recent, active, eventOpen,
                eventStart, lastActive, runningSum, sumAtLastActive, onsetEmitted);
    }

    private void decide(long t, List<EventTransition> out) {
        long lastAvailable = nextFrame - 1;
        for (int i = 0; i < window; i++) {
            long u = Math.min(lastAvailable, Math.max(startFrame, t - half + i));
            scratch[i] = ring[Math.floorMod(u, window)];
        }
        float smoothed = MedianFilter.median(scratch, window);
        float score = ring[Math.floorMod(t, window)];
        active = active ? config.keepsActivity(smoothed) : config.startsActivity(smoothed);
        if (active) {
            if (!eventOpen) {
                eventOpen = true;
                eventStart = t;
                runningSum = 0;
                onsetEmitted = false;
            }
            runningSum += score;
            sumAtLastActive = runningSum;
            lastActive = t;
            long length = lastActive - eventStart + 1;
            if (!onsetEmitted && length >= config.minDurationFrames()) {
                onsetEmitted = true;
                out.add(new EventTransition.Onset(eventStart, sumAtLastActive / length));
            }
        } else if (eventOpen) {
            runningSum += score;
            if (t - lastActive > config.maxGapFrames()) {
                if (onsetEmitted) {
                    out.add(closeEvent());
                }
                eventOpen = false;
                onsetEmitted = false;
            }
        }
    }

    private EventTransition.Offset closeEvent() {
        long end = lastActive + 1;
        return new EventTransition.Offset(eventStart, end, sumAtLastActive / (end - eventStart));
    }
}
