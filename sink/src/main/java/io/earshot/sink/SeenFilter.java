package io.earshot.sink;

import java.nio.charset.StandardCharsets;

/**
 * A Bloom filter of keys written to an output: "definitely never" or "maybe". Fixed memory whatever the
 * number of keys, so an output can tell a brand-new stream (nothing to look up in its file) from one
 * that may have rows there without keeping every stream in memory. At the default 2^23 bits (1 MiB) and
 * 5 hashes, one million keys give about 2 % false "maybe"s, each costing one scan of the file.
 */
final class SeenFilter {

    static final int DEFAULT_BITS_LOG2 = 23;
    private static final int HASHES = 5;

    private final long[] words;
    private final long mask;

    SeenFilter(int bitsLog2) {
        if (bitsLog2 < 6 || bitsLog2 > 30) {
            throw new IllegalArgumentException("filter size must be 2^6 .. 2^30 bits, got 2^" + bitsLog2);
        }
        this.words = new long[1 << (bitsLog2 - 6)];
        this.mask = (1L << bitsLog2) - 1;
    }

    SeenFilter() {
        this(DEFAULT_BITS_LOG2);
    }

    void add(String key) {
        long h1 = fnv(key, 0xcbf29ce484222325L);
        long h2 = mix(h1) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = (h1 + i * h2) & mask;
            words[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    boolean mightContain(String key) {
        long h1 = fnv(key, 0xcbf29ce484222325L);
        long h2 = mix(h1) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = (h1 + i * h2) & mask;
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    private static long fnv(String key, long seed) {
        long h = seed;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** Final avalanche of SplitMix64: FNV alone leaves the low bits poorly mixed. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
