package io.earshot.detector.state;

import io.earshot.detector.window.OverlapAccumulator;
import io.earshot.dsp.decode.DecoderState;
import java.nio.ByteBuffer;
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
        DecoderSnapshots snapshots = DecoderSnapshots.of(decoders);
        ByteBuffer out = ByteBuffer.allocate(1 + overlap.serializedSize() + snapshots.serializedSize());
        out.put(FORMAT_VERSION);
        overlap.writeTo(out);
        snapshots.writeTo(out);
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
            return new DecodeProgress(overlap, DecoderSnapshots.readFrom(in));
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated decode state (" + data.length + " bytes)", e);
        }
    }
}
