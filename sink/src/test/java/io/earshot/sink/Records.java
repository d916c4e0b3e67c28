package io.earshot.sink;

import io.earshot.protocol.EventIds;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.SoundEvent;
import java.util.ArrayList;
import java.util.List;

/** Builders of realistic records for the tests (16 kHz, output frames of 1024 samples from 384). */
final class Records {

    static final int RATE = 16_000;
    static final long T0_MICROS = 1_795_000_000_000_000L; // capture time of sample 0
    static final List<String> LABELS = List.of("Speech", "Music", "Dog");

    private Records() {
    }

    static SoundEvent start(String source, String label, long onsetSample, double confidence) {
        return start(source, "stream-1", label, onsetSample, confidence);
    }

    static SoundEvent start(String source, String stream, String label, long onsetSample, double confidence) {
        return new SoundEvent(EventIds.of(source, stream, label, onsetSample), source, stream, label,
                SoundEvent.State.START, onsetSample, null, RATE, onsetSample / (double) RATE, null,
                T0_MICROS + onsetSample * 1_000_000L / RATE, null, confidence, "earshot-sed", "1");
    }

    static SoundEvent end(String source, String label, long onsetSample, long offsetSample, double confidence) {
        return end(source, "stream-1", label, onsetSample, offsetSample, confidence);
    }

    static SoundEvent end(String source, String stream, String label, long onsetSample, long offsetSample,
                          double confidence) {
        return new SoundEvent(EventIds.of(source, stream, label, onsetSample), source, stream, label,
                SoundEvent.State.END, onsetSample, offsetSample, RATE, onsetSample / (double) RATE,
                offsetSample / (double) RATE, T0_MICROS + onsetSample * 1_000_000L / RATE,
                T0_MICROS + offsetSample * 1_000_000L / RATE, confidence, "earshot-sed", "1");
    }

    /** Frames [firstFrame, firstFrame + n) with score(label c, frame f) = ((f * 7 + c * 3) % 100) / 100. */
    static FrameScores scores(String source, long firstFrame, int n) {
        return scores(source, "stream-1", firstFrame, n);
    }

    static FrameScores scores(String source, String stream, long firstFrame, int n) {
        List<float[]> rows = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            rows.add(row(firstFrame + k));
        }
        return new FrameScores(source, stream, RATE, firstFrame, 384 + 1024 * firstFrame, 1024, T0_MICROS,
                LABELS, rows, "earshot-sed", "1");
    }

    static float[] row(long frame) {
        float[] r = new float[LABELS.size()];
        for (int c = 0; c < r.length; c++) {
            r[c] = ((frame * 7 + c * 3) % 100) / 100f;
        }
        return r;
    }
}
