package io.earshot.detector;

import io.earshot.detector.model.ManifestReader;
import io.earshot.detector.model.ModelManifest;
import io.earshot.detector.model.OnnxModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real model for tests: {@code -Dearshot.model=FILE}, else models/earshot-sed-v1.onnx of the
 * repository. Tests that need it are skipped (not failed) while the trained model is not committed yet.
 */
public final class TestModels {

    private TestModels() {
    }

    public static Path repoRoot() {
        String root = System.getProperty("earshot.repo.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    public static Path modelPath() {
        String override = System.getProperty("earshot.model");
        return override != null ? Path.of(override) : repoRoot().resolve("models").resolve("earshot-sed-v1.onnx");
    }

    /** The model path, or the test is skipped when the model has not been exported yet. */
    public static Path requireModel() {
        Path p = modelPath();
        Assumptions.assumeTrue(Files.isRegularFile(p) && Files.isRegularFile(ManifestReader.manifestPathFor(p)),
                "model not exported yet: " + p);
        return p;
    }

    public static ModelManifest manifest() {
        return ManifestReader.read(ManifestReader.manifestPathFor(requireModel()));
    }

    /**
     * Thresholds for tests and the benchmark: the manifest's own (tuned) thresholds when they let the
     * audio produce events with the committed model (an empty map: no override). For a model too weak
     * for that (an early export), per label on at the 85th and off at the 70th percentile of its frame
     * scores over the audio, so that the decoding still runs on real events. Deterministic for a model.
     */
    public static java.util.Map<String, ThresholdOverride> thresholdsFor(OnnxModel model, float[] audio) {
        ModelManifest m = model.manifest();
        java.util.List<io.earshot.dsp.features.LogMelFrame> frames =
                new io.earshot.dsp.features.StreamingFramer(m.features()).push(0, audio);
        java.util.List<float[]> rows = new java.util.ArrayList<>();
        for (int start = 0; start + m.windowFrames() <= frames.size(); start += m.windowFrames()) {
            float[][] window = new float[m.windowFrames()][];
            for (int i = 0; i < window.length; i++) {
                window[i] = frames.get(start + i).values();
            }
            rows.addAll(java.util.Arrays.asList(model.run(new float[][][] {window})[0]));
        }
        int labelsAboveThreshold = 0;
        for (int l = 0; l < m.labels().size(); l++) {
            double on = m.decoders().get(l).thresholdOn();
            int at = l;
            if (rows.stream().filter(r -> r[at] >= on).count() >= m.decoders().get(l).minDurationFrames()) {
                labelsAboveThreshold++;
            }
        }
        if (labelsAboveThreshold >= 2) {
            return java.util.Map.of();
        }
        java.util.Map<String, ThresholdOverride> out = new java.util.LinkedHashMap<>();
        for (int l = 0; l < m.labels().size(); l++) {
            double[] v = new double[rows.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = rows.get(i)[l];
            }
            java.util.Arrays.sort(v);
            double on = Math.min(0.95, Math.max(0.01, v[(int) (0.85 * (v.length - 1))]));
            double off = Math.min(on, Math.max(0.005, v[(int) (0.7 * (v.length - 1))]));
            out.put(m.labels().get(l), new ThresholdOverride(on, off));
        }
        return out;
    }

    public static OnnxModel load() {
        Path p = requireModel();
        return OnnxModel.load(p, ManifestReader.read(ManifestReader.manifestPathFor(p)), 1);
    }
}
