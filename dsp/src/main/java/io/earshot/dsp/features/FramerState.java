package io.earshot.dsp.features;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Snapshot of a {@link StreamingFramer}: enough to resume a stream exactly, and small (at most
 * winLength - 1 pending samples, about 4 KB for Earshot v1), so it fits a state-store value.
 *
 * @param started          false for a framer that has not seen any sample yet (the other fields are then 0/empty)
 * @param nextSampleIndex  absolute index of the next sample the framer expects
 * @param nextFrameIndex   index of the next frame it will emit
 * @param pending          the samples [nextSampleIndex - pending.length, nextSampleIndex) kept for the next frame(s);
 *                         they start at the start sample of frame nextFrameIndex (or are empty)
 */
public record FramerState(boolean started, long nextSampleIndex, long nextFrameIndex, float[] pending) {

    private static final byte FORMAT_VERSION = 1;

    public FramerState {
        pending = pending == null ? new float[0] : pending.clone();
    }

    @Override
    public float[] pending() {
        return pending.clone();
    }

    /** Binary form: version byte, started, nextSampleIndex, nextFrameIndex, count, floats (big-endian). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(24 + 4 * pending.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeBoolean(started);
            out.writeLong(nextSampleIndex);
            out.writeLong(nextFrameIndex);
            out.writeInt(pending.length);
            for (float v : pending) {
                out.writeFloat(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Parses {@link #toBytes()}; throws IllegalArgumentException naming the problem for anything else. */
    public static FramerState fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown framer state version " + version);
            }
            boolean started = in.readBoolean();
            long nextSample = in.readLong();
            long nextFrame = in.readLong();
            int n = in.readInt();
            if (n < 0 || n > (data.length - 22) / 4) {
                throw new IllegalArgumentException("framer state claims " + n + " pending samples in " + data.length + " bytes");
            }
            float[] pending = new float[n];
            for (int i = 0; i < n; i++) {
                pending[i] = in.readFloat();
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("framer state has " + in.available() + " trailing bytes");
            }
            return new FramerState(started, nextSample, nextFrame, pending);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated framer state (" + data.length + " bytes)", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FramerState s && started == s.started && nextSampleIndex == s.nextSampleIndex
                && nextFrameIndex == s.nextFrameIndex && Arrays.equals(pending, s.pending);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nextSampleIndex) * 31 + Long.hashCode(nextFrameIndex) * 7 + Arrays.hashCode(pending)
                + (started ? 1 : 0);
    }

    @Override
    public String toString() {
        return "FramerState[started=" + started + ", nextSampleIndex=" + nextSampleIndex + ", nextFrameIndex="
                + nextFrameIndex + ", pending=" + pending.length + " samples]";
    }
}
