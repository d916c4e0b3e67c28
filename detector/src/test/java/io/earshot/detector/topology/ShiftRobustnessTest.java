package io.earshot.detector.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.detector.TestAudio;
import io.earshot.detector.TestModels;
import io.earshot.detector.model.OnnxModel;
import io.earshot.protocol.SoundEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delaying the audio by k samples moves its events by k / sample rate, within one output frame: the
 * frame grid and the window positions stay where they are, so this checks the model's shift-robust
 * pooling and the overlap averaging together.
 */
class ShiftRobustnessTest {

    private static final double SECONDS = 31.3;
    private static OnnxModel model;
    private static float[] audio;
    private static Map<String, io.earshot.detector.ThresholdOverride> thresholds;
    private static List<SoundEvent> reference;

    @TempDir
    Path tmp;

    @BeforeAll
    static void referenceRun(@TempDir Path dir) {
        model = TestModels.load();
        audio = TestAudio.scene(SECONDS);
        thresholds = TestModels.thresholdsFor(model, audio);
        reference = run(audio, dir);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static List<SoundEvent> run(float[] samples, Path dir) {
        try (TopologyHarness h = new TopologyHarness(model, dir, b -> b.thresholds(thresholds))) {
            h.sendAll("mic", TestAudio.chunks("s", samples, 1600));
            return h.eventLog.stream().filter(e -> e.state() == SoundEvent.State.END).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {160, 517, 1024, 4000, 16_500})
    void delayedAudioGivesTheSameEventsLaterByTheDelay(int k) {
        float[] delayed = new float[audio.length + k];
        Random rng = new Random(k);
        for (int i = 0; i < k; i++) {
            delayed[i] = (float) (0.002 * rng.nextGaussian());      // quiet lead-in, like the scene's floor
        }
        System.arraycopy(audio, 0, delayed, k, audio.length);
        List<SoundEvent> shifted = run(delayed, tmp);
        double shift = k / (double) TestAudio.RATE;
        double frame = model.manifest().grid().hopSamples() / (double) TestAudio.RATE;
        List<String> unmatched = new ArrayList<>();
        int compared = 0;
        for (SoundEvent e : reference) {
            // events touching the stream's edges see different context at the start and the end
            if (e.onsetSec() < 1.0 || e.offsetSec() > SECONDS - 1.0) {
                continue;
            }
            compared++;
            boolean found = shifted.stream().anyMatch(s -> s.label().equals(e.label())
                    && Math.abs(s.onsetSec() - e.onsetSec() - shift) <= frame + 1e-9
                    && Math.abs(s.offsetSec() - e.offsetSec() - shift) <= frame + 1e-9);
            if (!found) {
                unmatched.add(e.label() + " [" + e.onsetSec() + ", " + e.offsetSec() + ")");
            }
        }
        assertTrue(compared > 0, "the scene should produce events away from its edges: " + reference.size() + " events");
        // An event whose score hovers at a threshold may appear or vanish with any change of input; nearly
        // all must move with the audio, each by the delay within one output frame.
        assertTrue(unmatched.size() <= compared / 10, "delay " + k + " samples: events that did not move by " + shift + " s +- one frame: "
                + unmatched + " of " + compared + "; delayed run: " + shifted.stream()
                .map(s -> s.label() + " [" + s.onsetSec() + ", " + s.offsetSec() + ")").toList());
    }
}
