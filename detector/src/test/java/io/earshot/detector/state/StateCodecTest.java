package io.earshot.detector.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.earshot.detector.window.OverlapAccumulator;
import io.earshot.dsp.decode.DecoderConfig;
import io.earshot.dsp.decode.StreamingEventDecoder;
import io.earshot.dsp.features.FramerState;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    @Test
    void sourceStreamRoundTripsExactly() {
        float[] pending = new float[900];
        for (int i = 0; i < pending.length; i++) {
            pending[i] = (float) Math.sin(i) * 0.3f;
        }
        float[] held = new float[5 * 64];
        for (int i = 0; i < held.length; i++) {
            held[i] = (float) Math.cos(i);
        }
        SourceStream s = new SourceStream("stream-\u00e9", 16000, 1_700_000_000_123_456L, 123_456, 77,
                SourceStream.Status.IDLE, 480, 3, new FramerState(true, 123_456, 479, pending),
                new HeldFrames(474, 64, held), "window=156 hop=78");
        SourceStream back = SourceStream.fromBytes(s.toBytes());
        assertEquals(s, back);
        assertEquals(480 + 0, back.originFrame());
        // about 5 KB: small enough to rewrite on every chunk
        assertEquals(true, s.toBytes().length < 6 * 1024);
        assertThrows(IllegalArgumentException.class, () -> SourceStream.fromBytes(Arrays.copyOf(s.toBytes(), 40)));
    }

    @Test
    void decodeProgressRoundTripsExactly() {
        OverlapAccumulator acc = new OverlapAccumulator(2, 78);
        acc.add(78, new float[][] {{0.25f, 0.5f}, {0.75f, 1f}}, new float[] {1f, 0.5f});
        StreamingEventDecoder d = new StreamingEventDecoder(new DecoderConfig(0.5, 0.3, 3, 2, 1));
        d.pushAll(0, new float[] {0.1f, 0.9f, 0.9f, 0.8f});
        DecodeProgress p = new DecodeProgress(acc, List.of(d.snapshot(), new StreamingEventDecoder(DecoderConfig.threshold(0.5)).snapshot()));
        DecodeProgress back = DecodeProgress.fromBytes(p.toBytes());
        assertEquals(p.decoders(), back.decoders());
        assertEquals(78, back.overlap().baseFrame());
        assertEquals(Arrays.deepToString(acc.takeFinal(Long.MAX_VALUE)), Arrays.deepToString(back.overlap().takeFinal(Long.MAX_VALUE)));
    }

    @Test
    void modelProgressRoundTripsExactlyAndRefusesTruncatedBytes() {
        float[] state = new float[3136];
        for (int i = 0; i < state.length; i++) {
            state[i] = (float) Math.sin(0.1 * i);
        }
        StreamingEventDecoder d = new StreamingEventDecoder(new DecoderConfig(0.5, 0.3, 3, 2, 1));
        d.pushAll(0, new float[] {0.1f, 0.9f, 0.9f});
        ModelProgress p = new ModelProgress(state, List.of(d.snapshot(), new StreamingEventDecoder(DecoderConfig.threshold(0.5))
                .snapshot()));
        byte[] bytes = p.toBytes();
        ModelProgress back = ModelProgress.fromBytes(bytes);
        assertEquals(p.decoders(), back.decoders());
        org.junit.jupiter.api.Assertions.assertArrayEquals(state, back.modelState());
        assertThrows(IllegalArgumentException.class, () -> ModelProgress.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)));
    }
}
