package io.earshot.ingest.mic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/**
 * Picks the capture format: a PCM format the device supports, preferring (in this order) exactly the
 * target rate, then the lowest rate above it (less to resample away), 16-bit, then mono. Formats the
 * device advertises with unspecified fields are tried with common rates and channel counts filled in.
 * Whatever is chosen is converted to mono at the target rate by the capture pipeline.
 */
final class FormatNegotiator {

    private static final float[] COMMON_RATES = {16000, 48000, 44100, 32000, 22050, 24000, 96000, 11025, 8000};

    private FormatNegotiator() {
    }

    static AudioFormat choose(Mixer mixer, int targetRate) {
        Set<AudioFormat> candidates = new LinkedHashSet<>();
        for (Line.Info li : mixer.getTargetLineInfo()) {
            if (li instanceof DataLine.Info dli && TargetDataLine.class.isAssignableFrom(dli.getLineClass())) {
                for (AudioFormat f : dli.getFormats()) {
                    candidates.addAll(concrete(f));
                }
            }
        }
        // Some drivers advertise nothing useful: also try the usual formats directly.
        for (float rate : COMMON_RATES) {
            for (int ch = 1; ch <= 2; ch++) {
                candidates.add(new AudioFormat(rate, 16, ch, true, false));
            }
        }
        List<AudioFormat> usable = new ArrayList<>();
        for (AudioFormat f : candidates) {
            if (decodable(f) && mixer.isLineSupported(new DataLine.Info(TargetDataLine.class, f))) {
                usable.add(f);
            }
        }
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("capture device '" + mixer.getMixerInfo().getName()
                    + "' offers no PCM format this agent can read");
        }
        usable.sort(preference(targetRate));
        return usable.get(0);
    }

    static Comparator<AudioFormat> preference(int targetRate) {
        return Comparator.<AudioFormat>comparingInt(f -> f.getSampleRate() == targetRate ? 0 : f.getSampleRate() > targetRate ? 1 : 2)
                .thenComparingDouble(f -> f.getSampleRate() >= targetRate ? f.getSampleRate() : -f.getSampleRate())
                .thenComparingInt(f -> f.getSampleSizeInBits() == 16 ? 0 : f.getSampleSizeInBits() > 16 ? 1 : 2)
                .thenComparingInt(AudioFormat::getChannels);
    }

    private static List<AudioFormat> concrete(AudioFormat f) {
        List<AudioFormat> out = new ArrayList<>();
        float[] rates = f.getSampleRate() == AudioSystem.NOT_SPECIFIED ? COMMON_RATES : new float[] {f.getSampleRate()};
        int[] channels = f.getChannels() == AudioSystem.NOT_SPECIFIED ? new int[] {1, 2} : new int[] {f.getChannels()};
        int bits = f.getSampleSizeInBits() == AudioSystem.NOT_SPECIFIED ? 16 : f.getSampleSizeInBits();
        for (float rate : rates) {
            for (int ch : channels) {
                int frameSize = ch * ((bits + 7) / 8);
                out.add(new AudioFormat(f.getEncoding(), rate, bits, ch, frameSize, rate, f.isBigEndian()));
            }
        }
        return out;
    }

    private static boolean decodable(AudioFormat f) {
        try {
            new PcmDecoder(f);
            return f.getSampleRate() >= 1000;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
