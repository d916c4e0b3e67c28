package io.earshot.detector.state;

import io.earshot.dsp.features.FramerState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

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
 */
public record SourceStream(String streamId, int sampleRate, long sampleZeroMicros, long nextExpectedSample,
                           long lastSequence, boolean ended, long originFrame, long windowsApplied,
                           FramerState framer) {

    private static final byte FORMAT_VERSION = 1;

    public SourceStream withFramer(FramerState newFramer, long nextSample, long sequence) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextSample, Math.max(lastSequence, sequence),
                ended, originFrame, windowsApplied, newFramer);
    }

    public SourceStream withWindowsApplied(long applied) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextExpectedSample, lastSequence, ended,
                originFrame, applied, framer);
    }

    public SourceStream asEnded(long sequence) {
        return new SourceStream(streamId, sampleRate, sampleZeroMicros, nextExpectedSample,
                Math.max(lastSequence, sequence), true, originFrame, windowsApplied,
                new FramerState(false, 0, 0, new float[0]));
    }

    /** Input frames the framer has produced in the current segment so far (exclusive end index). */
    public long framesEnd() {
        return framer.started() ? framer.nextFrameIndex() : originFrame;
    }

    public byte[] toBytes() {
        byte[] framerBytes = framer.toBytes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(80 + framerBytes.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeUTF(streamId);
            out.writeInt(sampleRate);
            out.writeLong(sampleZeroMicros);
            out.writeLong(nextExpectedSample);
            out.writeLong(lastSequence);
            out.writeBoolean(ended);
            out.writeLong(originFrame);
            out.writeLong(windowsApplied);
            out.writeInt(framerBytes.length);
            out.write(framerBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static SourceStream fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown source stream state version " + version);
            }
            String streamId = in.readUTF();
            int rate = in.readInt();
            long zero = in.readLong();
            long next = in.readLong();
            long seq = in.readLong();
            boolean ended = in.readBoolean();
            long origin = in.readLong();
            long applied = in.readLong();
            byte[] framer = new byte[in.readInt()];
            in.readFully(framer);
            return new SourceStream(streamId, rate, zero, next, seq, ended, origin, applied, FramerState.fromBytes(framer));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated source stream state (" + data.length + " bytes)", e);
        }
    }
}
