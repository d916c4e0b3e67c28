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

    public static OnnxModel load() {
        Path p = requireModel();
        return OnnxModel.load(p, ManifestReader.read(ManifestReader.manifestPathFor(p)), 1);
    }
}
