package io.earshot.dsp.wav;

/**
 * What the fmt and data chunks of a WAV file say.
 *
 * @param sampleRate    frames per second
 * @param channels      interleaved channels per frame
 * @param encoding      sample storage
 * @param validBits     significant bits per sample (from WAVE_FORMAT_EXTENSIBLE; else the container size)
 * @param extensible    whether the file used WAVE_FORMAT_EXTENSIBLE
 * @param frameCount    whole frames in the data chunk
 */
public record WavFormat(int sampleRate, int channels, WavEncoding encoding, int validBits, boolean extensible,
                        long frameCount) {

    public int bytesPerFrame() {
        return channels * encoding.bytesPerSample();
    }

    public double durationSeconds() {
        return frameCount / (double) sampleRate;
    }

    @Override
    public String toString() {
        return sampleRate + " Hz, " + channels + " ch, " + encoding + (validBits != encoding.bytesPerSample() * 8
                ? " (" + validBits + " valid bits)" : "") + (extensible ? ", extensible" : "") + ", "
                + String.format("%.3f s", durationSeconds());
    }
}
