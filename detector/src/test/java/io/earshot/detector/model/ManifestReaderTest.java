package io.earshot.detector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.dsp.decode.DecoderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> LABELS = List.of("Speech", "Alarm");

    @TempDir
    Path dir;

    /** A manifest in the layout training/earshot_sed/manifest.py writes. */
    static ObjectNode valid() {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("format", "earshot-model-manifest/1").put("name", "earshot-sed").put("version", "1.0.0")
                .put("onnx", "earshot-sed-v1.onnx");
        ArrayNode labels = m.putArray("labels");
        LABELS.forEach(labels::add);
        ObjectNode f = m.putObject("features");
        f.put("sample_rate", 16000).put("n_fft", 1024).put("win_length", 1024).put("hop_length", 256)
                .put("window", "hann_periodic").put("center", false).put("spectrum", "power");
        f.putObject("mel").put("n_mels", 64).put("fmin", 50.0).put("fmax", 8000.0).put("scale", "htk").put("norm", "none");
        f.putObject("log").put("type", "ln").put("offset", 1e-6);
        ObjectNode norm = f.putObject("normalization").put("type", "per_band");
        ArrayNode mean = norm.putArray("mean");
        ArrayNode std = norm.putArray("std");
        for (int i = 0; i < 64; i++) {
            mean.add(-5.0 + i * 0.01);
            std.add(2.0);
        }
        m.putObject("input").put("name", "logmel").put("dtype", "float32");
        m.putObject("output").put("frame_probs", "frame_probs").put("clip_probs", "clip_probs")
                .put("time_pooling", 4).put("frame_hop_samples", 1024).put("frame_offset_samples", 384);
        m.putObject("window").put("frames", 624).put("hop_frames", 312);
        ObjectNode d = m.putObject("decoding");
        d.putObject("threshold_on").put("Speech", 0.5).put("Alarm", 0.6);
        d.putObject("threshold_off").put("Speech", 0.3).put("Alarm", 0.4);
        d.putObject("median_filter_frames").put("Speech", 7).put("Alarm", 3);
        d.putObject("min_duration_s").put("Speech", 0.25).put("Alarm", 0.0);
        d.putObject("max_gap_s").put("Speech", 0.2).put("Alarm", 0.0);
        return m;
    }

    private Path write(ObjectNode m) throws Exception {
        Path p = dir.resolve("model.json");
        Files.writeString(p, MAPPER.writeValueAsString(m));
        return p;
    }

    @Test
    void readsEveryFieldTheDetectorUses() throws Exception {
        ModelManifest m = ManifestReader.read(write(valid()));
        assertEquals("earshot-sed", m.name());
        assertEquals("1.0.0", m.version());
        assertEquals(LABELS, m.labels());
        assertEquals(16000, m.sampleRate());
        assertEquals(64, m.nMels());
        assertEquals(-5.0f + 3 * 0.01f, m.features().mean()[3], 1e-6f);
        assertEquals("logmel", m.inputName());
        assertEquals("frame_probs", m.frameOutputName());
        assertEquals(4, m.timePooling());
        assertEquals(624, m.window().frames());
        assertEquals(312, m.window().hopFrames());
        assertEquals(384 + 1024 * 3, m.grid().startSample(3));
        // 0.25 s at 64 ms per frame: at least 4 frames (3.9 rounds up); 0.2 s of gap: at most 3 frames
        assertEquals(new DecoderConfig(0.5, 0.3, 7, 4, 3), m.decoders().get(0));
        assertEquals(new DecoderConfig(0.6, 0.4, 3, 1, 0), m.decoders().get(1));
    }

    @Test
    void errorsNameTheFileAndTheField() throws Exception {
        ObjectNode noInput = valid();
        noInput.remove("input");
        ModelException e = assertThrows(ModelException.class, () -> ManifestReader.read(write(noInput)));
        assertTrue(e.getMessage().contains("model.json") && e.getMessage().contains("'input' is missing"), e.getMessage());

        ObjectNode slaney = valid();
        ((ObjectNode) slaney.get("features").get("mel")).put("scale", "slaney");
        e = assertThrows(ModelException.class, () -> ManifestReader.read(write(slaney)));
        assertTrue(e.getMessage().contains("features.mel.scale"), e.getMessage());

        ObjectNode shortMean = valid();
        ((ArrayNode) shortMean.get("features").get("normalization").get("mean")).remove(0);
        e = assertThrows(ModelException.class, () -> ManifestReader.read(write(shortMean)));
        assertTrue(e.getMessage().contains("mean must have nMels=64 values, got 63"), e.getMessage());

        ObjectNode missingLabel = valid();
        ((ObjectNode) missingLabel.get("decoding").get("threshold_on")).remove("Alarm");
        e = assertThrows(ModelException.class, () -> ManifestReader.read(write(missingLabel)));
        assertTrue(e.getMessage().contains("'Alarm' is missing"), e.getMessage());

        ObjectNode badHop = valid();
        ((ObjectNode) badHop.get("output")).put("frame_hop_samples", 1000);
        e = assertThrows(ModelException.class, () -> ManifestReader.read(write(badHop)));
        assertTrue(e.getMessage().contains("frame_hop_samples"), e.getMessage());

        ObjectNode otherFormat = valid().put("format", "something/2");
        e = assertThrows(ModelException.class, () -> ManifestReader.read(write(otherFormat)));
        assertTrue(e.getMessage().contains("something/2"), e.getMessage());
    }

    @Test
    void missingOrBrokenFilesAreNamed() throws Exception {
        Path missing = dir.resolve("nope.json");
        ModelException e = assertThrows(ModelException.class, () -> ManifestReader.read(missing));
        assertTrue(e.getMessage().contains("nope.json does not exist"), e.getMessage());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"format\": ");
        e = assertThrows(ModelException.class, () -> ManifestReader.read(broken));
        assertTrue(e.getMessage().contains("broken.json is not readable JSON"), e.getMessage());
        assertEquals(dir.resolve("m.json"), ManifestReader.manifestPathFor(dir.resolve("m.onnx")));
    }

    @Test
    void aModelFileThatIsNotOnnxIsReportedByName() throws Exception {
        ModelManifest manifest = ManifestReader.read(write(valid()));
        Path garbage = dir.resolve("garbage.onnx");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5});
        ModelException e = assertThrows(ModelException.class, () -> OnnxModel.load(garbage, manifest, 1));
        assertTrue(e.getMessage().contains("garbage.onnx cannot be loaded"), e.getMessage());
        e = assertThrows(ModelException.class, () -> OnnxModel.load(dir.resolve("absent.onnx"), manifest, 1));
        assertTrue(e.getMessage().contains("absent.onnx does not exist"), e.getMessage());
    }
}
