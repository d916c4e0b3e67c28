package io.earshot.detector.state;

import io.earshot.dsp.decode.DecoderState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The event decoders' snapshots as the scoring state records store them (windowed {@link DecodeProgress},
 * streaming {@link ModelProgress}): a count, then each snapshot preceded by its length.
 */
final class DecoderSnapshots {

    private final List<byte[]> parts;

    private DecoderSnapshots(List<byte[]> parts) {
        this.parts = parts;
    }

    static DecoderSnapshots of(List<DecoderState> decoders) {
        List<byte[]> parts = new ArrayList<>(decoders.size());
        for (DecoderState d : decoders) {
            parts.add(d.toBytes());
        }
        return new DecoderSnapshots(parts);
    }

    /** Bytes {@link #writeTo} writes. */
    int serializedSize() {
        int size = 4;
        for (byte[] b : parts) {
            size += 4 + b.length;
        }
        return size;
    }

    void writeTo(ByteBuffer out) {
        out.putInt(parts.size());
        for (byte[] b : parts) {
            out.putInt(b.length).put(b);
        }
    }

    /** Reads what {@link #writeTo} wrote; a truncated buffer throws BufferUnderflowException. */
    static List<DecoderState> readFrom(ByteBuffer in) {
        int n = in.getInt();
        List<DecoderState> decoders = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[in.getInt()];
            in.get(b);
            decoders.add(DecoderState.fromBytes(b));
        }
        return decoders;
    }
}
