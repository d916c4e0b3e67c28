package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code earshot detect}: bad models and settings are refused with one clear line, before Kafka is touched. */
class DetectCommandTest {

    @TempDir
    Path dir;

    private static Path realModel() {
        Path model = Path.of(System.getProperty("earshot.repo.root", "..")).resolve("models").resolve("earshot-sed-v1.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(model), "model not exported yet");
        return model;
    }

    @Test
    void aMissingModelIsNamed() {
        Path missing = dir.resolve("nope.onnx");
        MainTest.Result r = MainTest.run("detect", "--bootstrap-server", "127.0.0.1:9", "--model", missing.toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("model file " + missing + " does not exist"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void aModelWithoutItsManifestIsNamed() throws Exception {
        Path model = dir.resolve("lonely.onnx");
        Files.copy(realModel(), model);
        MainTest.Result r = MainTest.run("detect", "--bootstrap-server", "127.0.0.1:9", "--model", model.toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("lonely.json does not exist"), r.err());
    }

    @Test
    void anUnknownLabelInAThresholdListsTheModelsLabels() {
        MainTest.Result r = MainTest.run("detect", "--bootstrap-server", "127.0.0.1:9", "--model", realModel().toString(),
                "--threshold", "Cowbell=0.5");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("unknown label 'Cowbell'") && r.err().contains("Speech"), r.err());
    }

    @Test
    void aThresholdThatIsNotANumberIsAUsageError() {
        MainTest.Result r = MainTest.run("detect", "--bootstrap-server", "127.0.0.1:9", "--model", realModel().toString(),
                "--threshold", "Speech=loud");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("Speech=loud"), r.err());
    }

    @Test
    void aHopLongerThanTheWindowIsRefused() {
        MainTest.Result r = MainTest.run("detect", "--bootstrap-server", "127.0.0.1:9", "--model", realModel().toString(),
                "--window-s", "2", "--hop-s", "4");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("must not exceed the window"), r.err());
    }
}
