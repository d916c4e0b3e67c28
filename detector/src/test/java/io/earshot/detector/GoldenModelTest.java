package io.earshot.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.detector.model.OnnxModel;
import io.earshot.dsp.features.LogMelFrame;
import io.earshot.dsp.features.StreamingFramer;
import io.earshot.dsp.wav.WavReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each windowed model as the detector runs it matches the training side's golden outputs (models/golden):
 * ONNX Runtime Java on the golden model input, and the whole Java path from WAV samples through the
 * streaming log-mel framer into the model.
 */
class GoldenModelTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final GoldenModels MODELS = new GoldenModels();

    @AfterAll
    static void close() {
        MODELS.close();
    }

    /** The test model (v1 unless -Dearshot.model) and every other committed windowed model with golden outputs. */
    static Stream<Arguments> goldenFiles() throws IOException {
        return GoldenModels.pairs(TestModels.requireModel(), false);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("goldenFiles")
    void onnxRuntimeJavaMatchesTheGoldenFrameProbabilities(String name, Path onnx, Path golden) throws IOException {
        OnnxModel model = MODELS.model(onnx);
        JsonNode doc = MAPPER.readTree(golden.toFile());
        float[][] input = GoldenJson.matrix(doc.get("input"));
        float[][] want = GoldenJson.matrix(doc.get("frame_probs"));
        float[][] got = model.run(new float[][][] {input})[0];
        GoldenJson.assertClose(want, got, 1e-4, golden.getFileName() + " model on golden input");
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("goldenFiles")
    void wavThroughTheStreamingFramerAndModelMatchesTheGoldenOutput(String name, Path onnx, Path golden) throws IOException {
        OnnxModel model = MODELS.model(onnx);
        JsonNode doc = MAPPER.readTree(golden.toFile());
        float[] samples = WavReader.readMono(TestModels.repoRoot().resolve("models").resolve("golden")
                .resolve(doc.get("wav").asText()));
        assertEquals(doc.get("num_samples").asInt(), samples.length);
        StreamingFramer framer = new StreamingFramer(model.manifest().features());
        List<LogMelFrame> frames = framer.push(0, samples);
        float[][] input = new float[frames.size()][];
        for (int i = 0; i < input.length; i++) {
            input[i] = frames.get(i).values();
        }
        // features agree within 1e-3 in normalised units (the feature contract), outputs within 1e-3
        GoldenJson.assertClose(GoldenJson.matrix(doc.get("input")), input, 1e-3, golden.getFileName() + " features");
        float[][] got = model.run(new float[][][] {input})[0];
        GoldenJson.assertClose(GoldenJson.matrix(doc.get("frame_probs")), got, 1e-3, golden.getFileName() + " model on Java features");
        assertFalse(frames.isEmpty());
    }
}
