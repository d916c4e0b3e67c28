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
        if (m.isStreaming()) {
            rows.addAll(java.util.Arrays.asList(streamReference(model, frames.stream().map(f -> f.values()).toList())));
        }
        int windowFrames = 624;
        for (int start = 0; !m.isStreaming() && start + windowFrames <= frames.size(); start += windowFrames) {
            float[][] window = new float[windowFrames][];
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
        return percentileThresholds(m, rows);
    }

    /** Per label: on at the 85th and off at the 70th percentile of the model's frame scores over the audio. */
    public static java.util.Map<String, ThresholdOverride> percentileThresholds(OnnxModel model, float[] audio) {
        ModelManifest m = model.manifest();
        java.util.List<float[]> frames = new io.earshot.dsp.features.StreamingFramer(m.features()).push(0, audio)
                .stream().map(io.earshot.dsp.features.LogMelFrame::values).toList();
        return percentileThresholds(m, java.util.Arrays.asList(streamReference(model, frames)));
    }

    private static java.util.Map<String, ThresholdOverride> percentileThresholds(ModelManifest m, java.util.List<float[]> rows) {
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

    /**
     * A streaming model's decision-frame probabilities for a whole stream, run the way the contract
     * specifies (and the Python reference does): blocks from zero state, the last one completed with
     * zero frames, all-zero blocks until ceil(F / pooling) decision frames exist.
     */
    public static float[][] streamReference(OnnxModel model, java.util.List<float[]> frames) {
        ModelManifest m = model.manifest();
        io.earshot.detector.model.StreamingSpec st = m.streaming();
        int pooling = m.timePooling();
        int blockIn = st.blockFrames() * pooling;
        int decisions = (frames.size() + pooling - 1) / pooling;
        float[][] out = new float[decisions][];
        float[] state = new float[st.stateSize()];
        for (int b = 0; (long) b * st.blockFrames() < decisions + st.lookaheadFrames(); b++) {
            float[][] block = new float[blockIn][m.nMels()];
            for (int i = 0; i < blockIn && b * blockIn + i < frames.size(); i++) {
                block[i] = frames.get(b * blockIn + i);
            }
            io.earshot.detector.inference.StreamBlockOutput o = model.runBlocks(
                    java.util.List.of(new io.earshot.detector.inference.StreamBlock(block, state))).get(0);
            state = o.state();
            for (int i = 0; i < st.blockFrames(); i++) {
                int d = b * st.blockFrames() + i - st.lookaheadFrames();
                if (d >= 0 && d < decisions) {
                    out[d] = o.probs()[i];
                }
            }
        }
        return out;
    }

    /**
     * The streaming test model: {@code -Dearshot.streaming.model=FILE}, else the random-weight model with
     * golden outputs from the Python reference in src/test/resources/streaming-test-model.
     */
    public static Path streamingModelPath() {
        String override = System.getProperty("earshot.streaming.model");
        return override != null ? Path.of(override)
                : repoRoot().resolve("detector/src/test/resources/streaming-test-model/earshot-sed-test-stream.onnx");
    }

    public static OnnxModel loadStreaming() {
        Path p = streamingModelPath();
        Assumptions.assumeTrue(Files.isRegularFile(p), "no streaming model at " + p);
        return OnnxModel.load(p, ManifestReader.read(ManifestReader.manifestPathFor(p)), 1);
    }

    public static OnnxModel load() {
        Path p = requireModel();
        return OnnxModel.load(p, ManifestReader.read(ManifestReader.manifestPathFor(p)), 1);
    }
}
