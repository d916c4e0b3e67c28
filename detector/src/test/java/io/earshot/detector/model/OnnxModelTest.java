package io.earshot.detector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.detector.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed model loads, matches its manifest, batches consistently; a mismatched manifest is refused. */
class OnnxModelTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private Path copyWithManifest(java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Path model = TestModels.requireModel();
        ObjectNode manifest = (ObjectNode) MAPPER.readTree(ManifestReader.manifestPathFor(model).toFile());
        edit.accept(manifest);
        Path copy = dir.resolve("copy.onnx");
        Files.copy(model, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("copy.json"), MAPPER.writeValueAsString(manifest));
        return copy;
    }

    private static ModelException loadFails(Path onnx) {
        ModelManifest manifest = ManifestReader.read(ManifestReader.manifestPathFor(onnx));
        return assertThrows(ModelException.class, () -> OnnxModel.load(onnx, manifest, 1));
    }

    @Test
    void aManifestNamingAnotherInputIsRefusedWithTheNamesTheModelHas() throws Exception {
        Path onnx = copyWithManifest(m -> ((ObjectNode) m.get("input")).put("name", "features"));
        ModelException e = loadFails(onnx);
        assertTrue(e.getMessage().contains("copy.onnx does not match its manifest") && e.getMessage().contains("'features'")
                && e.getMessage().contains("logmel"), e.getMessage());
    }

    @Test
    void aManifestWithAnotherNumberOfLabelsIsRefused() throws Exception {
        Path onnx = copyWithManifest(m -> {
            ((ArrayNode) m.get("labels")).add("Cowbell");
            for (String key : new String[] {"threshold_on", "threshold_off", "median_filter_frames", "min_duration_s", "max_gap_s"}) {
                ObjectNode d = (ObjectNode) m.get("decoding").get(key);
                d.set("Cowbell", d.get("Speech"));
            }
        });
        ModelException e = loadFails(onnx);
        assertTrue(e.getMessage().contains("manifest says 13"), e.getMessage());
    }

    @Test
    void theShippedManifestVerifiesItsModel() throws Exception {
        Path onnx = copyWithManifest(m -> { });
        ModelManifest manifest = ManifestReader.read(ManifestReader.manifestPathFor(onnx));
        assertEquals(OnnxModel.sha256(onnx), manifest.onnxSha256());
        try (OnnxModel model = OnnxModel.load(onnx, manifest, 1)) {
            assertTrue(model.verified());
        }
    }

    @Test
    void aModelFileThatIsNotTheOneTheManifestWasWrittenForIsRefusedNamingBothFiles() throws Exception {
        Path onnx = copyWithManifest(m -> { });
        String expected = ManifestReader.read(ManifestReader.manifestPathFor(onnx)).onnxSha256();
        // The file changed after the manifest was written (one byte appended): no longer the exported model.
        Files.write(onnx, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        ModelException e = loadFails(onnx);
        String actual = OnnxModel.sha256(onnx);
        assertTrue(e.getMessage().contains(onnx.toString()) && e.getMessage().contains(dir.resolve("copy.json").toString())
                && e.getMessage().contains(actual) && e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aV1ManifestWithTheHashOnlyUnderTrainingIsStillVerified() throws Exception {
        Path good = copyWithManifest(m -> assertTrue(m.remove("onnx_sha256") != null && m.get("training").has("onnx_sha256")));
        ModelManifest manifest = ManifestReader.read(ManifestReader.manifestPathFor(good));
        try (OnnxModel model = OnnxModel.load(good, manifest, 1)) {
            assertTrue(model.verified());
        }
        Path other = copyWithManifest(m -> {
            m.remove("onnx_sha256");
            ((ObjectNode) m.get("training")).put("onnx_sha256", "0".repeat(64));
        });
        assertTrue(loadFails(other).getMessage().contains("onnx_sha256 is " + "0".repeat(64)));
    }

    @Test
    void aManifestWithoutAHashLoadsUnverified() throws Exception {
        Path onnx = copyWithManifest(m -> {
            m.remove("onnx_sha256");
            ((ObjectNode) m.get("training")).remove("onnx_sha256");
        });
        ModelManifest manifest = ManifestReader.read(ManifestReader.manifestPathFor(onnx));
        try (OnnxModel model = OnnxModel.load(onnx, manifest, 1)) {
            assertEquals(null, manifest.onnxSha256());
            assertTrue(!model.verified());
            assertEquals(156, model.run(new float[1][624][64])[0].length);
        }
    }

    @Test
    void aHashThatIsNotASha256IsAManifestError() throws Exception {
        Path onnx = copyWithManifest(m -> m.put("onnx_sha256", "abc"));
        ModelException e = assertThrows(ModelException.class,
                () -> ManifestReader.read(ManifestReader.manifestPathFor(onnx)));
        assertTrue(e.getMessage().contains("copy.json") && e.getMessage().contains("'onnx_sha256' must be 64 hexadecimal digits"),
                e.getMessage());
    }

    @Test
    void batchedWindowsGiveTheSameScoresAsSingleOnes() {
        try (OnnxModel model = TestModels.load()) {
            Random r = new Random(5);
            float[][][] windows = new float[3][624][64];
            for (float[][] w : windows) {
                for (float[] f : w) {
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) r.nextGaussian();
                    }
                }
            }
            float[][][] batch = model.run(windows);
            assertEquals(156, batch[0].length);
            assertEquals(model.manifest().labels().size(), batch[0][0].length);
            for (int b = 0; b < windows.length; b++) {
                float[][] single = model.run(new float[][][] {windows[b]})[0];
                for (int t = 0; t < single.length; t++) {
                    for (int l = 0; l < single[t].length; l++) {
                        assertEquals(single[t][l], batch[b][t][l], 1e-6f, "window " + b + " frame " + t);
                    }
                }
            }
        }
    }
}
