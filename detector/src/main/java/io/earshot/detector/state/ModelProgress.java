package io.earshot.detector.state;

import io.earshot.dsp.decode.DecoderState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-source state of a streaming model, written once per applied block: the model's carried state
 * (its recurrent state and convolution context, {@code state_size} floats) and one event decoder
 * snapshot per label (open events included).
 */
public record ModelProgress(float[] modelState, List<DecoderState> decoders) {

    private static final byte FORMAT_VERSION = 1;

    public ModelProgress {
        decoders = List.copyOf(decoders);
    }

    public byte[] toBytes() {
        List<byte[]> parts = new ArrayList<>(decoders.size());
        int size = 1 + 4 + 4 * modelState.length + 4;
        for (DecoderState d : decoders) {
            byte[] b = d.toBytes();
            parts.add(b);
            size += 4 + b.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT_VERSION).putInt(modelState.length);
        out.asFloatBuffer().put(modelState);
        out.position(out.position() + 4 * modelState.length);
        out.putInt(parts.size());
        for (byte[] b : parts) {
            out.putInt(b.length).put(b);
        }
        return out.array();
    }

    public static ModelProgress fromBytes(byte[] data) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            byte version = in.get();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown model state version " + version);
            }
            float[] state = new float[in.getInt()];
            in.asFloatBuffer().get(state);
            in.position(in.position() + 4 * state.length);
            int n = in.getInt();
            List<DecoderState> decoders = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.getInt()];
                in.get(b);
                decoders.add(DecoderState.fromBytes(b));
            }
            return new ModelProgress(state, decoders);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated model state (" + data.length + " bytes)", e);
        }
    }
}
