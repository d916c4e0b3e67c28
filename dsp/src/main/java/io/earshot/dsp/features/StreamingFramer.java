package io.earshot.dsp.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * Turns a stream of audio chunks into normalised log-mel frames anchored on the absolute sample index:
 * frame i always covers samples [i * hop, i * hop + win), whatever the chunk sizes, so the frames are
 * bit-identical however the audio was cut.
 *
 * <p>The first chunk may start at any sample index s (a stream that starts late, or a restart after a
 * gap): frames then begin at the first frame boundary at or after s, ceil(s / hop). Every later chunk
 * must start exactly where the previous one ended, otherwise {@link NonContiguousInputException}
 * names the expected and the received index and the framer is left unchanged.
 *
 * <p><b>Not thread-safe</b> (it uses a {@link LogMelExtractor}'s scratch buffers); use one framer per
 * stream. Framers used by one thread may share one extractor ({@link #StreamingFramer(LogMelSpec,
 * LogMelExtractor)}): a frame is computed within one {@link #push} call, so nothing is left in the
 * extractor between calls, and hundreds of streams keep one window, FFT plan and filterbank instead of
 * one each (about 40 KB per stream; no measurable speed difference, docs/features.md). Its state round-trips
 * through {@link #snapshot()} / {@link #restore(LogMelSpec, FramerState)} exactly.
 */
public final class StreamingFramer {

    private final LogMelSpec spec;
    private final LogMelExtractor extractor;
    private boolean started;
    private long nextSampleIndex;
    private long nextFrameIndex;
    /** buffer[0, buffered) holds samples [nextSampleIndex - buffered, nextSampleIndex), starting at frame nextFrameIndex. */
    private float[] buffer;
    private int buffered;

    public StreamingFramer(LogMelSpec spec) {
        this(spec, new LogMelExtractor(spec));
    }

    /** A framer that uses the given extractor (share it only with framers used by the same thread). */
    public StreamingFramer(LogMelSpec spec, LogMelExtractor extractor) {
        if (!extractor.spec().equals(spec)) {
            throw new IllegalArgumentException("extractor was built for a different spec");
        }
        this.spec = spec;
        this.extractor = extractor;
        this.buffer = new float[Math.max(spec.winLength(), 4096)];
    }

    /** Resumes a stream from a {@link #snapshot()}. */
    public static StreamingFramer restore(LogMelSpec spec, FramerState state) {
        return restore(spec, state, new LogMelExtractor(spec));
    }

    /** Resumes a stream from a {@link #snapshot()}, computing with the given extractor (see the class notes). */
    public static StreamingFramer restore(LogMelSpec spec, FramerState state, LogMelExtractor extractor) {
        StreamingFramer framer = new StreamingFramer(spec, extractor);
        float[] pending = state.pending();
        if (state.started()) {
            long pendingStart = state.nextSampleIndex() - pending.length;
            boolean aligned = pending.length == 0
                    ? state.nextSampleIndex() <= spec.frameStartSample(state.nextFrameIndex())
                    : pendingStart == spec.frameStartSample(state.nextFrameIndex());
            if (!aligned || pending.length >= spec.winLength()) {
                throw new IllegalArgumentException("framer state does not fit spec " + spec + ": " + state);
            }
        } else if (pending.length != 0) {
            throw new IllegalArgumentException("framer state that has not started cannot hold samples: " + state);
        }
        framer.started = state.started();
        framer.nextSampleIndex = state.nextSampleIndex();
        framer.nextFrameIndex = state.nextFrameIndex();
        System.arraycopy(pending, 0, framer.buffer, 0, pending.length);
        framer.buffered = pending.length;
        return framer;
    }

    public LogMelSpec spec() {
        return spec;
    }

    /** The index the next chunk must start at, or empty before the first chunk. */
    public OptionalLong expectedNextSample() {
        return started ? OptionalLong.of(nextSampleIndex) : OptionalLong.empty();
    }

    /** Index of the next frame this framer will emit (meaningful once started). */
    public long nextFrameIndex() {
        return nextFrameIndex;
    }

    /**
     * Adds the samples [firstSampleIndex, firstSampleIndex + samples.length) and returns the frames
     * completed by them, in order (possibly none).
     *
     * @throws NonContiguousInputException if the chunk does not start where the previous one ended
     * @throws IllegalArgumentException    if a sample is NaN or infinite, or the index is negative
     */
    public List<LogMelFrame> push(long firstSampleIndex, float[] samples) {
        if (samples == null) {
            throw new IllegalArgumentException("samples must not be null (chunk at sample " + firstSampleIndex + ")");
        }
        if (started && firstSampleIndex != nextSampleIndex) {
            throw new NonContiguousInputException("audio samples", nextSampleIndex, firstSampleIndex);
        }
        if (firstSampleIndex < 0) {
            throw new IllegalArgumentException("sample index must not be negative: " + firstSampleIndex);
        }
        for (int i = 0; i < samples.length; i++) {
            if (!Float.isFinite(samples[i])) {
                throw new IllegalArgumentException("sample " + (firstSampleIndex + i) + " is not finite: " + samples[i]);
            }
        }
        if (!started) {
            started = true;
            nextSampleIndex = firstSampleIndex;
            nextFrameIndex = spec.firstFrameAtOrAfter(firstSampleIndex);
            buffered = 0;
        }
        // Samples before the start of the next frame (only possible on the first chunk) are never needed.
        long frameStart = spec.frameStartSample(nextFrameIndex);
        int skip = (int) Math.min(samples.length, Math.max(0, frameStart - nextSampleIndex));
        append(samples, skip, samples.length - skip);
        nextSampleIndex += samples.length;
        return emitCompleteFrames();
    }

    /** The state needed to resume exactly here; small enough for a state store. */
    public FramerState snapshot() {
        return new FramerState(started, nextSampleIndex, nextFrameIndex, Arrays.copyOf(buffer, buffered));
    }

    private void append(float[] samples, int from, int count) {
        if (buffered + count > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, buffered + count));
        }
        System.arraycopy(samples, from, buffer, buffered, count);
        buffered += count;
    }

    private List<LogMelFrame> emitCompleteFrames() {
        int win = spec.winLength();
        int hop = spec.hopLength();
        if (buffered < win) {
            return List.of();
        }
        List<LogMelFrame> frames = new ArrayList<>((buffered - win) / hop + 1);
        int pos = 0;
        while (pos + win <= buffered) {
            float[] values = new float[spec.nMels()];
            extractor.extract(buffer, pos, null, values);
            frames.add(new LogMelFrame(nextFrameIndex++, values));
            pos += hop;
        }
        // Keep from the start of the next frame on; with hop > win that start may lie beyond the buffer.
        int keepFrom = Math.min(pos, buffered);
        System.arraycopy(buffer, keepFrom, buffer, 0, buffered - keepFrom);
        buffered -= keepFrom;
        return frames;
    }
}
