package io.earshot.ingest;

import java.util.Arrays;

/**
 * Collects samples arriving in blocks of any size and hands them out in chunks of a fixed size, so that
 * every chunk but a stream's last has the configured duration.
 */
public final class ChunkAssembler {

    private final int chunkSamples;
    private float[] pending;
    private int pendingLength;

    public ChunkAssembler(int chunkSamples) {
        if (chunkSamples <= 0) {
            throw new IllegalArgumentException("chunk size must be positive, got " + chunkSamples);
        }
        this.chunkSamples = chunkSamples;
        this.pending = new float[chunkSamples * 2];
    }

    public void add(float[] samples) {
        add(samples, 0, samples.length);
    }

    public void add(float[] samples, int offset, int length) {
        if (pendingLength + length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
        }
        System.arraycopy(samples, offset, pending, pendingLength, length);
        pendingLength += length;
    }

    /** Whether a full chunk is ready. */
    public boolean hasChunk() {
        return pendingLength >= chunkSamples;
    }

    /** The next full chunk; call only when {@link #hasChunk()}. */
    public float[] takeChunk() {
        if (!hasChunk()) {
            throw new IllegalStateException("only " + pendingLength + " of " + chunkSamples + " samples pending");
        }
        return take(chunkSamples);
    }

    /** Whatever is left (possibly nothing), for the end of a stream. */
    public float[] takeRest() {
        return take(pendingLength);
    }

    public int pendingSamples() {
        return pendingLength;
    }

    public int chunkSamples() {
        return chunkSamples;
    }

    private float[] take(int n) {
        float[] out = Arrays.copyOf(pending, n);
        System.arraycopy(pending, n, pending, 0, pendingLength - n);
        pendingLength -= n;
        return out;
    }
}
