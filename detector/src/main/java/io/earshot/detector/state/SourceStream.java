package io.earshot.detector.state;

import io.earshot.dsp.features.FramerState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where one source's current stream stands: written on every audio chunk, so it stays small (a few
 * numbers, the framer's pending samples, about 4 KB, and in streaming mode the frames the model has
 * not consumed yet, under one block: 8 KB for 32 frames of 64 bands).
 *
 * <p>A stream is analysed in segments: a segment starts with the stream, after a gap in sample
 * indices, or when an idle source sends again, at input frame {@code originFrame} (on the output-frame
 * grid); its windows or blocks are counted from there.
 *
 * @param streamId            capture stream id
 * @param sampleRate          sample rate of the stream
 * @param sampleZeroMicros    UTC capture time of sample 0, epoch microseconds
 * @param nextExpectedSample  the sample index the next chunk should start at
 * @param lastSequence        highest chunk sequence number seen
 * @param status              whether the current segment is open, or closed at end of stream or for idleness
 * @param originFrame         first input frame of the current segment
 * @param applied             windows (windowed mode) or blocks (streaming mode) of the segment whose output
 *                            was published
 * @param framer              the log-mel framer of the segment
 * @param held                frames not consumed yet by a streaming model (empty in windowed mode, whose
 *                            frames are in the {@code FrameStore})
 * @param settingsKey         the detector settings the state was written with (window, hop, model; see
 *                            {@code DetectionSettings.stateKey}); null for state written before it was kept
 */
public record SourceStream(String streamId, int sampleRate, long sampleZeroMicros, long nextExpectedSample,
                           long lastSequence, Status status, long originFrame, long applied,
                           FramerState framer, HeldFrames held, String settingsKey) {

    /** The state of a stream's current segment. */
    public enum Status {
        /** Audio is being analysed. */
        OPEN,
        /** The end-of-stream chunk was processed. */
        ENDED,
        /** Closed after the idle time without audio; the stream may go on (a new segment). */
        IDLE
    }

    private static final byte FORMAT_VERSION = 2;
    private static final FramerState NO_FRAMER = new FramerState(false, 0, 0, new float[0]);

    /** A fresh segment of a stream, starting at input frame {@code originFrame}. */
    public static SourceStream segment(String streamId, int sampleRate, long sampleZeroMicros, long nextExpectedSample,
                                       long lastSequence, long originFrame, int mels, String settingsKey) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextExpectedSample, lastSequence, Status.OPEN,
                originFrame, 0, NO_FRAMER, HeldFrames.empty(originFrame, mels), settingsKey);
    }

    public boolean ended() {
        return status == Status.ENDED;
    }

    public boolean open() {
        return status == Status.OPEN;
    }

    public SourceStream withFramer(FramerState newFramer, HeldFrames newHeld, long nextSample, long sequence) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextSample, Math.max(lastSequence, sequence),
                status, originFrame, applied, newFramer, newHeld, settingsKey);
    }

    public SourceStream withApplied(long newApplied, HeldFrames newHeld) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextExpectedSample, lastSequence, status,
                originFrame, newApplied, framer, newHeld, settingsKey);
    }

    public SourceStream withHeld(HeldFrames newHeld) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextExpectedSample, lastSequence, status,
                originFrame, applied, framer, newHeld, settingsKey);
    }

    /** The segment is closed (end of stream or idle): nothing is kept for it but the stream's position. */
    public SourceStream closed(Status why, long sequence) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextExpectedSample,
                Math.max(lastSequence, sequence), why, originFrame, applied, NO_FRAMER,
                HeldFrames.empty(held.endFrame(), held.mels()), settingsKey);
    }

    /** Whether this state can be read with the given settings (state from before the key was kept is). */
    public boolean compatibleWith(String currentSettingsKey) {
        return settingsKey == null || settingsKey.equals(currentSettingsKey);
    }

    /** Input frames the framer has produced in the current segment so far (exclusive end index). */
    public long framesEnd() {
        return framer.started() ? framer.nextFrameIndex() : originFrame;
    }

    /** Bytes this state takes in its store. */
    public int serializedSize() {
        return toBytes().length;
    }

    /**
     * Binary form (version 2): version, stream id (UTF), rate, sample-zero time, next sample, last
     * sequence, status, origin, applied, then the framer (started, next sample, next frame, pending count,
     * pending floats), the held frames (first frame, mels, float count, floats), then, when known, the
     * settings key (int length, UTF-8). Version 1 (no held frames, an ended flag for the status) is still
     * read. Written with bulk buffer copies: this value is rewritten for every chunk.
     */
    public byte[] toBytes() {
        byte[] id = streamId.getBytes(StandardCharsets.UTF_8);
        byte[] key = settingsKey == null ? null : settingsKey.getBytes(StandardCharsets.UTF_8);
        float[] pending = framer.pending();
        float[] heldValues = held.values();
        ByteBuffer out = ByteBuffer.allocate(1 + 2 + id.length + 4 + 8 * 3 + 1 + 8 * 2 + 1 + 8 * 2 + 4 + 4 * pending.length
                + 8 + 4 + 4 + 4 * heldValues.length + (key == null ? 0 : 4 + key.length));
        out.put(FORMAT_VERSION).putShort((short) id.length).put(id).putInt(sampleRate).putLong(sampleZeroMicros)
                .putLong(nextExpectedSample).putLong(lastSequence).put((byte) status.ordinal()).putLong(originFrame)
                .putLong(applied);
        out.put((byte) (framer.started() ? 1 : 0)).putLong(framer.nextSampleIndex()).putLong(framer.nextFrameIndex())
                .putInt(pending.length);
        out.asFloatBuffer().put(pending);
        out.position(out.position() + 4 * pending.length);
        out.putLong(held.firstFrame()).putInt(held.mels()).putInt(heldValues.length);
        out.asFloatBuffer().put(heldValues);
        out.position(out.position() + 4 * heldValues.length);
        if (key != null) {
            out.putInt(key.length).put(key);
        }
        return out.array();
    }

    public static SourceStream fromBytes(byte[] data) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            byte version = in.get();
            if (version != 1 && version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown source stream state version " + version);
            }
            byte[] id = new byte[in.getShort()];
            in.get(id);
            int rate = in.getInt();
            long zero = in.getLong();
            long next = in.getLong();
            long seq = in.getLong();
            byte statusByte = in.get();
            Status status = version == 1 ? (statusByte != 0 ? Status.ENDED : Status.OPEN) : Status.values()[statusByte];
            long origin = in.getLong();
            long applied = in.getLong();
            boolean started = in.get() != 0;
            long framerNextSample = in.getLong();
            long framerNextFrame = in.getLong();
            float[] pending = new float[in.getInt()];
            in.asFloatBuffer().get(pending);
            in.position(in.position() + 4 * pending.length);
            HeldFrames held;
            if (version == 1) {
                held = HeldFrames.empty(started ? framerNextFrame : origin, 1);
            } else {
                long first = in.getLong();
                int mels = in.getInt();
                float[] values = new float[in.getInt()];
                in.asFloatBuffer().get(values);
                in.position(in.position() + 4 * values.length);
                held = new HeldFrames(first, mels, values);
            }
            String settingsKey = null;
            if (in.hasRemaining()) {
                byte[] key = new byte[in.getInt()];
                in.get(key);
                settingsKey = new String(key, StandardCharsets.UTF_8);
            }
            return new SourceStream(new String(id, StandardCharsets.UTF_8), rate, zero, next, seq, status, origin, applied,
                    new FramerState(started, framerNextSample, framerNextFrame, pending), held, settingsKey);
        } catch (BufferUnderflowException | NegativeArraySizeException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated source stream state (" + data.length + " bytes)", e);
        }
    }
}
