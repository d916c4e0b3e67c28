package io.earshot.ingest.mic;

import io.earshot.dsp.wav.WavReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.spi.MixerProvider;

/**
 * A javax.sound mixer provider for tests (registered in META-INF/services): while a WAV file is
 * configured with {@link #serve}, it offers one capture device, {@value #DEVICE_NAME}, whose capture
 * line delivers that file's samples as 16-bit PCM in the file's own rate and channel count, paced like
 * a real device (optionally faster), and reports the line stopped once the file is exhausted.
 */
public final class WavCaptureMixerProvider extends MixerProvider {

    public static final String DEVICE_NAME = "Earshot Test WAV Capture";

    static final Mixer.Info INFO = new Mixer.Info(DEVICE_NAME, "earshot tests", "serves a WAV file as a capture line", "1") {
    };

    private static volatile Served served;

    /** The file's samples as the capture line will deliver them. */
    record Served(byte[] pcm, AudioFormat format, double speed) {
    }

    /** Serves {@code wav} (read whole, as 16-bit little-endian PCM) at {@code speed} times real time. */
    public static void serve(Path wav, double speed) {
        try (WavReader r = WavReader.open(wav)) {
            int channels = r.format().channels();
            float[] x = new float[(int) r.format().frameCount() * channels];
            r.read(x, 0, (int) r.format().frameCount());
            ByteBuffer b = ByteBuffer.allocate(x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : x) {
                b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32768f))));
            }
            served = new Served(b.array(), new AudioFormat(r.format().sampleRate(), 16, channels, true, false), speed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the device. */
    public static void unserve() {
        served = null;
    }

    @Override
    public Mixer.Info[] getMixerInfo() {
        return served == null ? new Mixer.Info[0] : new Mixer.Info[] {INFO};
    }

    @Override
    public Mixer getMixer(Mixer.Info info) {
        Served s = served;
        if (s == null || !INFO.equals(info)) {
            throw new IllegalArgumentException("no such mixer: " + info);
        }
        return new WavCaptureMixer(INFO, s);
    }
}
