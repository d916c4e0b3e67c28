package io.earshot.detector.state;

import io.earshot.dsp.features.LogMelFrame;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The log-mel frames of each source that windows still need, in a key-value store.
 *
 * <p>Frames, not samples, are kept: a frame is 64 floats per 256 samples, and each chunk's frames are
 * written once as their own segments (at most {@link #MAX_SEGMENT_FRAMES} frames, 64 KiB, far below
 * Kafka's 1 MB record limit for the changelog) instead of rewriting a growing buffer. Keys are
 * (source id length, source id, first frame index big-endian), so one source's segments sort by frame.
 */
public final class FrameStore {

    public static final int MAX_SEGMENT_FRAMES = 256;

    private final KeyValueStore<Bytes, byte[]> store;
    private final int nMels;

    public FrameStore(KeyValueStore<Bytes, byte[]> store, int nMels) {
        this.store = store;
        this.nMels = nMels;
    }

    /** Stores consecutive frames of a source. */
    public void append(String source, List<LogMelFrame> frames) {
        for (int from = 0; from < frames.size(); from += MAX_SEGMENT_FRAMES) {
            int to = Math.min(frames.size(), from + MAX_SEGMENT_FRAMES);
            ByteBuffer value = ByteBuffer.allocate((to - from) * nMels * Float.BYTES);
            FloatBuffer floats = value.asFloatBuffer();
            for (int i = from; i < to; i++) {
                floats.put(frames.get(i).values(), 0, nMels);
            }
            store.put(key(source, frames.get(from).index()), value.array());
        }
    }

    /**
     * Frames [start, start + count) of a source.
     *
     * @throws IllegalStateException naming the frame when one is missing from the store
     */
    public float[][] read(String source, long start, int count) {
        float[][] out = new float[count][];
        long end = start + count;
        try (KeyValueIterator<Bytes, byte[]> it = store.range(key(source, 0), key(source, end - 1))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                long first = frameOf(kv.key);
                FloatBuffer floats = ByteBuffer.wrap(kv.value).asFloatBuffer();
                int n = kv.value.length / (nMels * Float.BYTES);
                for (int i = 0; i < n; i++) {
                    long frame = first + i;
                    if (frame < start || frame >= end) {
                        continue;
                    }
                    float[] v = new float[nMels];
                    floats.get(i * nMels, v);
                    out[(int) (frame - start)] = v;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            if (out[i] == null) {
                throw new IllegalStateException("frame " + (start + i) + " of source " + source + " is missing from the frame store");
            }
        }
        return out;
    }

    /** Removes the segments of a source that lie entirely before {@code frame}. */
    public void deleteBefore(String source, long frame) {
        List<Bytes> doomed = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(key(source, 0), key(source, Math.max(0, frame - 1)))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                long last = frameOf(kv.key) + kv.value.length / (nMels * Float.BYTES);
                if (last <= frame) {
                    doomed.add(kv.key);
                }
            }
        }
        doomed.forEach(store::delete);
    }

    /** Removes every frame of a source. */
    public void deleteAll(String source) {
        deleteBefore(source, Long.MAX_VALUE);
    }

    static Bytes key(String source, long frame) {
        byte[] id = source.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(2 + id.length + 8).putShort((short) id.length).put(id).putLong(frame).array());
    }

    static long frameOf(Bytes key) {
        byte[] k = key.get();
        return ByteBuffer.wrap(k, k.length - 8, 8).getLong();
    }
}
