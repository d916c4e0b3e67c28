package io.earshot.dsp.wav;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes interleaved float samples as a WAV file in any encoding {@link WavReader} reads. Used for
 * test fixtures, demo material and debugging dumps. Integer encodings round to the nearest step and clip.
 */
public final class WavWriter {

    private WavWriter() {
    }

    /** Writes {@code interleaved} (frames x channels) as a plain (non-extensible) WAV file. */
    public static void write(Path file, float[] interleaved, int sampleRate, int channels, WavEncoding encoding)
            throws IOException {
        write(file, interleaved, sampleRate, channels, encoding, false);
    }

    /** Writes a WAV file, with a WAVE_FORMAT_EXTENSIBLE fmt chunk when {@code extensible} is set. */
    public static void write(Path file, float[] interleaved, int sampleRate, int channels, WavEncoding encoding,
                             boolean extensible) throws IOException {
        if (interleaved.length % channels != 0) {
            throw new IllegalArgumentException(interleaved.length + " samples are not a whole number of " + channels + "-channel frames");
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header(interleaved.length / channels, sampleRate, channels, encoding, extensible));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024 - (64 * 1024) % encoding.bytesPerSample()).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : interleaved) {
                if (buf.remaining() < encoding.bytesPerSample()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                putSample(buf, v, encoding);
            }
            out.write(buf.array(), 0, buf.position());
            long dataBytes = (long) interleaved.length * encoding.bytesPerSample();
            if ((dataBytes & 1) == 1) {
                out.write(0); // RIFF pad byte after an odd-sized chunk
            }
        }
    }

    /** The RIFF header, fmt chunk and data chunk header for a file of {@code frames} frames. */
    public static byte[] header(long frames, int sampleRate, int channels, WavEncoding encoding, boolean extensible) {
        int bytes = encoding.bytesPerSample();
        long dataBytes = frames * channels * bytes;
        int fmtSize = extensible ? 40 : 16;
        ByteBuffer h = ByteBuffer.allocate(12 + 8 + fmtSize + 8).order(ByteOrder.LITTLE_ENDIAN);
        int tag = encoding.isFloatingPoint() ? 3 : 1;
        h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt((int) (4 + 8 + fmtSize + 8 + dataBytes + (dataBytes & 1)))
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(fmtSize)
                .putShort((short) (extensible ? 0xFFFE : tag))
                .putShort((short) channels)
                .putInt(sampleRate)
                .putInt(sampleRate * channels * bytes)
                .putShort((short) (channels * bytes))
                .putShort((short) (bytes * 8));
        if (extensible) {
            h.putShort((short) 22).putShort((short) (bytes * 8)).putInt(channels <= 2 ? (channels == 1 ? 0x4 : 0x3) : 0)
                    .putShort((short) tag)
                    .put(new byte[] {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
                            (byte) 0x9B, 0x71});
        }
        h.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return h.array();
    }

    private static void putSample(ByteBuffer buf, float v, WavEncoding encoding) {
        switch (encoding) {
            case PCM_U8:
                buf.put((byte) (clipRound(v, 128) + 128));
                break;
            case PCM_S16:
                buf.putShort((short) clipRound(v, 32768));
                break;
            case PCM_S24: {
                int s = (int) clipRound(v, 8388608);
                buf.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
                break;
            }
            case PCM_S32:
                buf.putInt((int) clipRound(v, 2147483648.0));
                break;
            case FLOAT32:
                buf.putFloat(v);
                break;
            case FLOAT64:
                buf.putDouble(v);
                break;
            default:
                throw new IllegalStateException("unhandled encoding " + encoding);
        }
    }

    private static long clipRound(float v, double fullScale) {
        long s = Math.round(v * fullScale);
        return Math.max(-(long) fullScale, Math.min((long) fullScale - 1, s));
    }
}
