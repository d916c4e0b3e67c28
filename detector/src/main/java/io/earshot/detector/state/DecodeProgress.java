package io.earshot.detector.state;

import io.earshot.detector.window.OverlapAccumulator;
import io.earshot.dsp.decode.DecoderState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-source scoring state, written once per applied window: the overlap sums of the frames that are
 * not final yet and one event decoder snapshot per label (open events included).
 */
public record DecodeProgress(OverlapAccumulator overlap, List<DecoderState> decoders) {

    private static final byte FORMAT_VERSION = 1;

    public DecodeProgress {
        decoders = List.copyOf(decoders);
    }

    public byte[] toBytes() {
        List<byte[]> parts = new ArrayList<>(decoders.size());
        int size = 1 + overlap.serializedSize() + 4;
        for (DecoderState d : decoders) {
            byte[] b = d.toBytes();
            parts.add(b);
            size += 4 + b.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT_VERSION);
        overlap.writeTo(out);
        out.putInt(parts.size());
        for (byte[] b : parts) {
            out.putInt(b.length).put(b);
        }
        return out.array();
    }

    public static DecodeProgress fromBytes(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            byte version = in.get();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown decode state version " + version);
            }
            OverlapAccumulator overlap = OverlapAccumulator.readFrom(in);
            int n = in.getInt();
            List<DecoderState> decoders = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.getInt()];
                in.get(b);
                decoders.add(DecoderState.fromBytes(b));
            }
            return new DecodeProgress(overlap, decoders);
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated decode state (" + data.length + " bytes)", e);
        }
    }
}
