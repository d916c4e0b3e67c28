package io.earshot.ingest.mic;

import javax.sound.sampled.AudioFormat;

/**
 * Decodes raw capture bytes in a javax.sound PCM format (signed 8/16/24/32-bit either byte order,
 * unsigned 8/16-bit, 32/64-bit float) to mono floats in [-1, 1], averaging the channels.
 */
final class PcmDecoder {

    private final int channels;
    private final int bytesPerSample;
    private final boolean bigEndian;
    private final boolean isFloat;
    private final boolean unsigned;
    private final double scale;

    PcmDecoder(AudioFormat format) {
        AudioFormat.Encoding enc = format.getEncoding();
        this.channels = format.getChannels();
        this.bytesPerSample = (format.getSampleSizeInBits() + 7) / 8;
        this.bigEndian = format.isBigEndian();
        this.isFloat = AudioFormat.Encoding.PCM_FLOAT.equals(enc);
        this.unsigned = AudioFormat.Encoding.PCM_UNSIGNED.equals(enc);
        if (!isFloat && !unsigned && !AudioFormat.Encoding.PCM_SIGNED.equals(enc)) {
            throw new IllegalArgumentException("cannot decode " + enc + " audio (need PCM)");
        }
        if (channels < 1 || bytesPerSample < 1 || bytesPerSample > 8 || (isFloat && bytesPerSample != 4 && bytesPerSample != 8)
                || (!isFloat && bytesPerSample > 4)) {
            throw new IllegalArgumentException("cannot decode " + format);
        }
        if (format.getFrameSize() != channels * bytesPerSample) {
            throw new IllegalArgumentException("frame size " + format.getFrameSize() + " of " + format + " is not packed");
        }
        this.scale = Math.pow(2, bytesPerSample * 8 - 1);
    }

    int frameBytes() {
        return channels * bytesPerSample;
    }

    /** Decodes {@code length} bytes (whole frames) into {@code out}, returning the frame count. */
    int decode(byte[] data, int offset, int length, float[] out) {
        int frames = length / frameBytes();
        int pos = offset;
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += sample(data, pos);
                pos += bytesPerSample;
            }
            out[f] = (float) (sum / channels);
        }
        return frames;
    }

    private double sample(byte[] d, int at) {
        long bits = 0;
        for (int i = 0; i < bytesPerSample; i++) {
            int b = d[at + (bigEndian ? i : bytesPerSample - 1 - i)] & 0xFF;
            bits = (bits << 8) | b;
        }
        if (isFloat) {
            return bytesPerSample == 4 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
        }
        int shift = 64 - 8 * bytesPerSample;
        long signed = unsigned ? bits - (1L << (8 * bytesPerSample - 1)) : (bits << shift) >> shift;
        return signed / scale;
    }
}
