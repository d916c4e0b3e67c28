package io.earshot.protocol;

/**
 * Sample encodings of the audio wire format. All are little-endian and interleaved by channel;
 * the wire code is the byte stored in the chunk header.
 */
public enum SampleEncoding {
    /** Signed 16-bit integer, full scale 32768. */
    PCM_S16LE(1, 2),
    /** Signed 24-bit integer packed in 3 bytes, full scale 2^23. */
    PCM_S24LE(2, 3),
    /** Signed 32-bit integer, full scale 2^31. */
    PCM_S32LE(3, 4),
    /** IEEE 754 binary32, nominal range [-1, 1]. */
    FLOAT32LE(4, 4);

    private final int wireCode;
    private final int bytesPerSample;

    SampleEncoding(int wireCode, int bytesPerSample) {
        this.wireCode = wireCode;
        this.bytesPerSample = bytesPerSample;
    }

    /** The header byte that identifies this encoding. */
    public int wireCode() {
        return wireCode;
    }

    public int bytesPerSample() {
        return bytesPerSample;
    }

    /** The encoding with this wire code, or null when the code is unknown. */
    public static SampleEncoding fromWireCode(int code) {
        for (SampleEncoding e : values()) {
            if (e.wireCode == code) {
                return e;
            }
        }
        return null;
    }
}
