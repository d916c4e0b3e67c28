package io.earshot.detector.state;

import io.earshot.dsp.decode.DecoderState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
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
        DecoderSnapshots snapshots = DecoderSnapshots.of(decoders);
        ByteBuffer out = ByteBuffer.allocate(1 + 4 + 4 * modelState.length + snapshots.serializedSize());
        out.put(FORMAT_VERSION).putInt(modelState.length);
        out.asFloatBuffer().put(modelState);
        out.position(out.position() + 4 * modelState.length);
        snapshots.writeTo(out);
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
            return new ModelProgress(state, DecoderSnapshots.readFrom(in));
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated model state (" + data.length + " bytes)", e);
        }
    }
}
