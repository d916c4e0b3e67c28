package io.earshot.detector;

import io.earshot.detector.model.ManifestReader;
import io.earshot.detector.model.OnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The (model, golden file) pairs the golden tests check, and one loaded ONNX session per model.
 *
 * <p>Golden outputs live beside the models: a model's own in {@code golden/<model>/}, the first
 * model's (v1's) directly in {@code golden/} (the WAVs there are shared by all). Every committed model
 * of {@code models/} with a golden folder is checked, so a newly exported model is covered as soon as
 * its files are committed.
 */
final class GoldenModels implements AutoCloseable {

    private final Map<Path, OnnxModel> loaded = new LinkedHashMap<>();

    /**
     * (name, model, golden file) for the given test model and every other committed model of the same kind
     * with golden outputs.
     */
    static Stream<Arguments> pairs(Path testModel, boolean streaming) throws IOException {
        List<Path> models = new ArrayList<>(List.of(testModel));
        committed(streaming).stream().filter(p -> !p.equals(testModel)).forEach(models::add);
        List<Arguments> out = new ArrayList<>();
        for (Path model : models) {
            for (Path golden : GoldenJson.filesIn(goldenDir(model)).toList()) {
                out.add(Arguments.of(model.getFileName().toString(), model, golden));
            }
        }
        return out.stream();
    }

    /** {@code golden/<stem>/} beside the model if there is one, else {@code golden/}. */
    static Path goldenDir(Path model) {
        String stem = model.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path own = model.resolveSibling("golden").resolve(stem);
        return Files.isDirectory(own) ? own : model.resolveSibling("golden");
    }

    /** The committed models in models/ of the given kind that have their own golden folder. */
    static List<Path> committed(boolean streaming) throws IOException {
        Path dir = TestModels.repoRoot().resolve("models");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path onnx : files.filter(p -> p.toString().endsWith(".onnx")).sorted().toList()) {
                Path manifest = ManifestReader.manifestPathFor(onnx);
                String stem = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
                if (Files.isRegularFile(manifest) && Files.isDirectory(dir.resolve("golden").resolve(stem))
                        && ManifestReader.read(manifest).isStreaming() == streaming) {
                    out.add(onnx);
                }
            }
        }
        return out;
    }

    OnnxModel model(Path onnx) {
        return loaded.computeIfAbsent(onnx, p -> OnnxModel.load(p, ManifestReader.read(ManifestReader.manifestPathFor(p)), 1));
    }

    @Override
    public void close() {
        loaded.values().forEach(OnnxModel::close);
        loaded.clear();
    }
}
