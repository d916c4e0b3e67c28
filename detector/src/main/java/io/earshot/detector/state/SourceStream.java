package io.earshot.detector.state;

import io.earshot.dsp.features.FramerState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where one source's current stream stands: written on every audio chunk, so it stays small (a few
 * numbers and the framer's pending samples, about 4 KB).
 *
 * <p>A stream is analysed in segments: a segment starts with the stream, or after a gap in sample
 * indices, at input frame {@code originFrame} (on the output-frame grid); its windows are counted from
 * there.
 *
 * @param streamId            capture stream id
 * @param sampleRate          sample rate of the stream
 * @param sampleZeroMicros    UTC capture time of sample 0, epoch microseconds
 * @param nextExpectedSample  the sample index the next chunk should start at
 * @param lastSequence        highest chunk sequence number seen
 * @param ended               whether the end-of-stream chunk was processed
 * @param originFrame         first input frame of the current segment
 * @param windowsApplied      windows of the segment whose output was folded into the scores
 * @param framer              the log-mel framer of the segment
 * @param settingsKey         the detector settings the state was written with (window, hop, model; see
 *                            {@code DetectionSettings.stateKey}); null for state written before it was kept
 */
public record SourceStream(String streamId, int sampleRate, long sampleZeroMicros, long nextExpectedSample,
                           long lastSequence, boolean ended, long originFrame, long windowsApplied,
                           FramerState framer, String settingsKey) {

    private static final byte FORMAT_VERSION = 1;

    public SourceStream withFramer(FramerState newFramer, long nextSample, long sequence) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextSample, Math.max(lastSequence, sequence),
                ended, originFrame, windowsApplied, newFramer, settingsKey);
    }

    public SourceStream withWindowsApplied(long applied) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextExpectedSample, lastSequence, ended,
                originFrame, applied, framer, settingsKey);
    }

    public SourceStream asEnded(long sequence) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextExpectedSample,
                Math.max(lastSequence, sequence), true, originFrame, windowsApplied,
                new FramerState(false, 0, 0, new float[0]), settingsKey);
    }

    /** Whether this state can be read with the given settings (state from before the key was kept is). */
    public boolean compatibleWith(String currentSettingsKey) {
        return settingsKey == null || settingsKey.equals(currentSettingsKey);
    }

    /** Input frames the framer has produced in the current segment so far (exclusive end index). */
    public long framesEnd() {
        return framer.started() ? framer.nextFrameIndex() : originFrame;
    }

    /**
     * Binary form: version, stream id (UTF), rate, sample-zero time, next sample, last sequence, ended,
     * origin, windows applied, then the framer (started, next sample, next frame, pending count, pending
     * floats), then, when known, the settings key (int length, UTF-8); older values end after the framer
     * and are read with a null key. Written with bulk buffer copies: this value is rewritten for every chunk.
     */
    public byte[] toBytes() {
        byte[] id = streamId.getBytes(StandardCharsets.UTF_8);
        byte[] key = settingsKey == null ? null : settingsKey.getBytes(StandardCharsets.UTF_8);
        float[] pending = framer.pending();
        ByteBuffer out = ByteBuffer.allocate(1 + 2 + id.length + 4 + 8 * 3 + 1 + 8 * 2 + 1 + 8 * 2 + 4 + 4 * pending.length
                + (key == null ? 0 : 4 + key.length));
        out.put(FORMAT_VERSION).putShort((short) id.length).put(id).putInt(sampleRate).putLong(sampleZeroMicros)
                .putLong(nextExpectedSample).putLong(lastSequence).put((byte) (ended ? 1 : 0)).putLong(originFrame)
                .putLong(windowsApplied);
        out.put((byte) (framer.started() ? 1 : 0)).putLong(framer.nextSampleIndex()).putLong(framer.nextFrameIndex())
                .putInt(pending.length);
        out.asFloatBuffer().put(pending);
        if (key != null) {
            out.position(out.position() + 4 * pending.length);
            out.putInt(key.length).put(key);
        }
        return out.array();
    }

    public static SourceStream fromBytes(byte[] data) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            byte version = in.get();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown source stream state version " + version);
            }
            byte[] id = new byte[in.getShort()];
            in.get(id);
            int rate = in.getInt();
            long zero = in.getLong();
            long next = in.getLong();
            long seq = in.getLong();
            boolean ended = in.get() != 0;
            long origin = in.getLong();
            long applied = in.getLong();
            boolean started = in.get() != 0;
            long framerNextSample = in.getLong();
            long framerNextFrame = in.getLong();
            float[] pending = new float[in.getInt()];
            in.asFloatBuffer().get(pending);
            in.position(in.position() + 4 * pending.length);
            String settingsKey = null;
            if (in.hasRemaining()) {
                byte[] key = new byte[in.getInt()];
                in.get(key);
                settingsKey = new String(key, StandardCharsets.UTF_8);
            }
            return new SourceStream(new String(id, StandardCharsets.UTF_8), rate, zero, next, seq, ended, origin, applied,
                    new FramerState(started, framerNextSample, framerNextFrame, pending), settingsKey);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated source stream state (" + data.length + " bytes)", e);
        }
    }
}
