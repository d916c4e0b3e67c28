package io.earshot.ingest;

import io.earshot.protocol.AudioChunk;

/** The chunk size rules that every ingest path (microphone, file replay) shares. */
public final class ChunkSizing {

    private ChunkSizing() {
    }

    /**
     * Checks a target rate and chunk length: 1000..192000 Hz, 10..10000 ms, and a chunk of 16-bit mono PCM
     * (what {@link StreamSequencer} sends) no larger than a record may carry.
     */
    public static void check(int targetRate, int chunkMillis) {
        if (targetRate < 1000 || targetRate > 192_000) {
            throw new IllegalArgumentException("target rate must be 1000..192000 Hz, got " + targetRate);
        }
        if (chunkMillis < 10 || chunkMillis > 10_000) {
            throw new IllegalArgumentException("chunk length must be 10..10000 ms, got " + chunkMillis);
        }
        long chunkBytes = chunkSamples(targetRate, chunkMillis) * 2L;
        if (chunkBytes > AudioChunk.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(chunkMillis + " ms chunks at " + targetRate + " Hz are " + chunkBytes
                    + " bytes, more than a record may carry (" + AudioChunk.MAX_PAYLOAD_BYTES + ")");
        }
    }

    /** Samples per chunk at the target rate (at least 1). */
    public static int chunkSamples(int targetRate, int chunkMillis) {
        return (int) Math.max(1, Math.round(targetRate * chunkMillis / 1000.0));
    }
}
