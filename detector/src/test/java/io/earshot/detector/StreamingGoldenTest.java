package io.earshot.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.detector.model.OnnxModel;
import io.earshot.dsp.features.LogMelFrame;
import io.earshot.dsp.features.StreamingFramer;
import io.earshot.dsp.wav.WavReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming model as the detector runs it (ONNX Runtime Java, block by block with carried state,
 * zero padding at the end) matches the Python reference ({@code earshot_sed.stream_model.reference_stream})
 * on the golden audio within 1e-4, from the golden features and from the WAV through the Java framer.
 */
class StreamingGoldenTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final GoldenModels MODELS = new GoldenModels();

    @AfterAll
    static void close() {
        MODELS.close();
    }

    /**
     * The streaming test model (random weights, its golden outputs in the test resources; or
     * -Dearshot.streaming.model) and every committed streaming model of models/ with golden outputs.
     */
    static Stream<Arguments> goldenFiles() throws IOException {
        return GoldenModels.pairs(TestModels.streamingModelPath(), true);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("goldenFiles")
    void javaStreamingOutputMatchesThePythonReference(String name, Path onnx, Path golden) throws IOException {
        OnnxModel model = MODELS.model(onnx);
        JsonNode doc = MAPPER.readTree(golden.toFile());
        float[][] input = GoldenJson.matrix(doc.get("input"));
        float[][] want = GoldenJson.matrix(doc.get("decision_frame_probs"));
        assertEquals((input.length + 3) / 4, want.length, "M = ceil(F / 4) decision frames");
        double fromGoldenFeatures = GoldenJson.largestDifference(want,
                TestModels.streamReference(model, Arrays.asList(input)), "golden features");
        assertTrue(fromGoldenFeatures <= 1e-4, golden.getFileName() + ": largest difference " + fromGoldenFeatures);

        Path wav = TestModels.repoRoot().resolve("models").resolve("golden").resolve(doc.get("wav").asText());
        float[] samples = WavReader.readMono(wav);
        assertEquals(doc.get("num_samples").asInt(), samples.length);
        List<float[]> frames = new StreamingFramer(model.manifest().features()).push(0, samples).stream()
                .map(LogMelFrame::values).toList();
        assertTrue(GoldenJson.largestDifference(input, frames.toArray(new float[0][]), "features") <= 1e-3,
                "features within 1e-3");
        double fromJavaFeatures = GoldenJson.largestDifference(want, TestModels.streamReference(model, frames),
                "Java features");
        assertTrue(fromJavaFeatures <= 1e-3, golden.getFileName() + ": from Java features, largest difference " + fromJavaFeatures);
    }
}
