package io.earshot.dsp.wav;

/** How the samples of a WAV data chunk are stored (always little-endian, interleaved). */
public enum WavEncoding {
    /** 8-bit unsigned integer, 128 = silence. */
    PCM_U8(1, false),
    PCM_S16(2, false),
    PCM_S24(3, false),
    PCM_S32(4, false),
    FLOAT32(4, true),
    FLOAT64(8, true);

    private final int bytesPerSample;
    private final boolean floatingPoint;

    WavEncoding(int bytesPerSample, boolean floatingPoint) {
        this.bytesPerSample = bytesPerSample;
        this.floatingPoint = floatingPoint;
    }

    public int bytesPerSample() {
        return bytesPerSample;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The encoding stored in containers of this many bytes, integer or floating point; null if none. */
    static WavEncoding of(int containerBytes, boolean floatingPoint) {
        for (WavEncoding e : values()) {
            if (e.bytesPerSample == containerBytes && e.floatingPoint == floatingPoint) {
                return e;
            }
        }
        return null;
    }
}
