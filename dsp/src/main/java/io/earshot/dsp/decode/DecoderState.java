package io.earshot.dsp.decode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Snapshot of a {@link StreamingEventDecoder}, small enough for a state-store value (at most
 * medianFrames scores plus a few numbers).
 *
 * @param started         false before the first score (the other fields are then 0/empty)
 * @param startFrame      first frame of the current stream (left edge of the median filter)
 * @param nextFrame       the frame index the next score must carry
 * @param nextDecide      first frame not decided yet (lags nextFrame by the median lookahead)
 * @param medianFrames    the median length the state was made with (must match the config on restore)
 * @param recent          input scores of frames [nextFrame - recent.length, nextFrame)
 * @param active          hysteresis state after frame nextDecide - 1
 * @param eventOpen       whether an event (possibly in a gap, possibly not yet long enough) is open
 * @param eventStart      its first active frame
 * @param lastActive      its last active frame so far
 * @param runningSum      sum of input scores over [eventStart, nextDecide)
 * @param sumAtLastActive sum of input scores over [eventStart, lastActive]
 * @param onsetEmitted    whether its Onset was already returned
 */
public record DecoderState(boolean started, long startFrame, long nextFrame, long nextDecide, int medianFrames,
                           float[] recent, boolean active, boolean eventOpen, long eventStart, long lastActive,
                           double runningSum, double sumAtLastActive, boolean onsetEmitted) {

    private static final byte FORMAT_VERSION = 1;

    public DecoderState {
        recent = recent == null ? new float[0] : recent.clone();
    }

    @Override
    public float[] recent() {
        return recent.clone();
    }

    /** Binary form (big-endian, version byte first). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(80 + 4 * recent.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeBoolean(started);
            out.writeLong(startFrame);
            out.writeLong(nextFrame);
            out.writeLong(nextDecide);
            out.writeInt(medianFrames);
            out.writeInt(recent.length);
            for (float v : recent) {
                out.writeFloat(v);
            }
            out.writeBoolean(active);
            out.writeBoolean(eventOpen);
            out.writeLong(eventStart);
            out.writeLong(lastActive);
            out.writeDouble(runningSum);
            out.writeDouble(sumAtLastActive);
            out.writeBoolean(onsetEmitted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Parses {@link #toBytes()}; throws IllegalArgumentException naming the problem for anything else. */
    public static DecoderState fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown decoder state version " + version);
            }
            boolean started = in.readBoolean();
            long startFrame = in.readLong();
            long nextFrame = in.readLong();
            long nextDecide = in.readLong();
            int median = in.readInt();
            int n = in.readInt();
            if (n < 0 || n > data.length / 4) {
                throw new IllegalArgumentException("decoder state claims " + n + " scores in " + data.length + " bytes");
            }
            float[] recent = new float[n];
            for (int i = 0; i < n; i++) {
                recent[i] = in.readFloat();
            }
            DecoderState state = new DecoderState(started, startFrame, nextFrame, nextDecide, median, recent,
                    in.readBoolean(), in.readBoolean(), in.readLong(), in.readLong(), in.readDouble(),
                    in.readDouble(), in.readBoolean());
            if (in.available() != 0) {
                throw new IllegalArgumentException("decoder state has " + in.available() + " trailing bytes");
            }
            return state;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated decoder state (" + data.length + " bytes)", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecoderState s && started == s.started && startFrame == s.startFrame
                && nextFrame == s.nextFrame && nextDecide == s.nextDecide && medianFrames == s.medianFrames
                && Arrays.equals(recent, s.recent) && active == s.active && eventOpen == s.eventOpen
                && eventStart == s.eventStart && lastActive == s.lastActive
                && Double.compare(runningSum, s.runningSum) == 0
                && Double.compare(sumAtLastActive, s.sumAtLastActive) == 0 && onsetEmitted == s.onsetEmitted;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new long[] {startFrame, nextFrame, nextDecide, eventStart, lastActive,
            Double.doubleToLongBits(runningSum)}) * 31 + Arrays.hashCode(recent);
    }

    @Override
    public String toString() {
        return "DecoderState[started=" + started + ", startFrame=" + startFrame + ", nextFrame=" + nextFrame
                + ", nextDecide=" + nextDecide + ", active=" + active + ", eventOpen=" + eventOpen
                + ", eventStart=" + eventStart + ", lastActive=" + lastActive + ", onsetEmitted=" + onsetEmitted + "]";
    }
}
