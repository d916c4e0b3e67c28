package io.earshot.detector.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.dsp.decode.DecoderConfig;
import io.earshot.dsp.decode.FrameGrid;
import io.earshot.dsp.features.LogMelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a model manifest ({@code earshot-model-manifest/1}, docs/model-manifest.md) and checks that it
 * describes something this detector computes: a periodic-Hann power spectrum, HTK mel bands without
 * area normalisation, a natural log, per-band normalisation. Every error names the file and the field.
 */
public final class ManifestReader {

    public static final String FORMAT = "earshot-model-manifest/1";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> FEATURES_TYPE = new TypeReference<>() { };

    private ManifestReader() {
    }

    /** The manifest that belongs to a model file: same path with {@code .json} instead of {@code .onnx}. */
    public static Path manifestPathFor(Path onnxPath) {
        String name = onnxPath.getFileName().toString();
        String base = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        return onnxPath.resolveSibling(base + ".json");
    }

    public static ModelManifest read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ModelException("model manifest " + path + " does not exist");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(path.toFile());
        } catch (IOException e) {
            throw new ModelException("model manifest " + path + " is not readable JSON: " + e.getMessage(), e);
        }
        return parse(root, path);
    }

    static ModelManifest parse(JsonNode root, Path path) {
        Fields f = new Fields(path);
        String format = f.text(root, "format");
        if (!FORMAT.equals(format)) {
            throw f.error("format", "is '" + format + "', this detector reads " + FORMAT);
        }
        List<String> labels = new ArrayList<>();
        for (JsonNode l : f.array(root, "labels")) {
            labels.add(l.asText());
        }
        // The features block has one reader, in dsp next to the extractor it configures.
        JsonNode feat = f.object(root, "features");
        LogMelSpec spec;
        try {
            spec = LogMelSpec.fromManifestFeatures(MAPPER.convertValue(feat, FEATURES_TYPE));
        } catch (IllegalArgumentException e) {
            String problem = e.getMessage().startsWith("manifest ") ? e.getMessage().substring(9) : e.getMessage();
            throw new ModelException("model manifest " + path + ": " + problem, e);
        }
        JsonNode input = f.object(root, "input");
        JsonNode output = f.object(root, "output");
        int pooling = f.integer(output, "time_pooling");
        int frameHop = f.integer(output, "frame_hop_samples");
        if (pooling < 1 || frameHop != spec.hopLength() * pooling) {
            throw f.error("output.frame_hop_samples", "is " + frameHop + ", must be hop_length x time_pooling = "
                    + spec.hopLength() * pooling);
        }
        FrameGrid grid = new FrameGrid(f.integer(output, "frame_offset_samples"), frameHop);
        String kind = root.has("kind") ? f.text(root, "kind") : "windowed";
        ModelManifest.WindowBlock window = null;
        StreamingSpec streaming = null;
        if (kind.equals("streaming")) {
            if (root.has("window")) {
                throw f.error("window", "is given for a streaming model; a streaming model has no windows (remove it)");
            }
            JsonNode s = f.object(root, "streaming");
            String initial = s.has("initial_state") ? f.text(s, "initial_state") : "zeros";
            if (!initial.equals("zeros")) {
                throw f.error("streaming.initial_state", "is '" + initial + "'; this detector starts streams only from 'zeros'");
            }
            try {
                streaming = new StreamingSpec(f.integer(s, "block_frames"), f.integer(s, "lookahead_frames"),
                        f.text(s, "state_input"), f.text(s, "state_output"), f.integer(s, "state_size"));
            } catch (IllegalArgumentException e) {
                throw f.error("streaming", e.getMessage());
            }
        } else if (kind.equals("windowed")) {
            if (root.has("window")) {
                JsonNode w = f.object(root, "window");
                window = new ModelManifest.WindowBlock(f.integer(w, "frames"), f.integer(w, "hop_frames"));
            }
        } else {
            throw f.error("kind", "is '" + kind + "', expected windowed or streaming");
        }
        List<DecoderConfig> decoders = decoders(f, f.object(root, "decoding"), labels, frameHop / (double) spec.sampleRate());
        try {
            return new ModelManifest(f.text(root, "name"), f.text(root, "version"), labels, spec,
                    f.text(input, "name"), f.text(output, "frame_probs"), pooling, window, streaming, grid,
                    decoders, onnxSha256(f, root), path);
        } catch (IllegalArgumentException e) {
            throw new ModelException("model manifest " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The ONNX file's SHA-256: the top-level {@code onnx_sha256}, or for manifests written before it
     * moved there, {@code training.onnx_sha256}; null when neither is present.
     */
    private static String onnxSha256(Fields f, JsonNode root) {
        String field = "onnx_sha256";
        JsonNode n = root.get("onnx_sha256");
        if (n == null || n.isNull()) {
            field = "training.onnx_sha256";
            n = root.path("training").get("onnx_sha256");
        }
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || !n.asText().matches("[0-9a-fA-F]{64}")) {
            throw f.error(field, "must be 64 hexadecimal digits (a SHA-256), got " + n);
        }
        return n.asText().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Per-label decoding rules; durations in seconds become output frames the way the training side
     * decodes: an event lasts at least min_duration_s, and events at most max_gap_s apart merge.
     */
    private static List<DecoderConfig> decoders(Fields f, JsonNode d, List<String> labels, double frameSec) {
        List<DecoderConfig> out = new ArrayList<>(labels.size());
        for (String label : labels) {
            double on = f.number(f.object(d, "threshold_on"), label);
            double off = f.number(f.object(d, "threshold_off"), label);
            int median = f.integer(f.object(d, "median_filter_frames"), label);
            double minSec = f.number(f.object(d, "min_duration_s"), label);
            double gapSec = f.number(f.object(d, "max_gap_s"), label);
            int minFrames = (int) Math.max(1, Math.ceil(minSec / frameSec - 1e-9));
            int gapFrames = (int) Math.max(0, Math.floor(gapSec / frameSec + 1e-9));
            try {
                out.add(new DecoderConfig(on, off, median, minFrames, gapFrames));
            } catch (IllegalArgumentException e) {
                throw f.error("decoding of " + label, e.getMessage());
            }
        }
        return out;
    }

    /** Field access that names the missing or wrong field. */
    private record Fields(Path path) {

        ModelException error(String field, String problem) {
            return new ModelException("model manifest " + path + ": field '" + field + "' " + problem);
        }

        JsonNode get(JsonNode parent, String name) {
            JsonNode n = parent.get(name);
            if (n == null || n.isNull()) {
                throw error(name, "is missing");
            }
            return n;
        }

        JsonNode object(JsonNode parent, String name) {
            JsonNode n = get(parent, name);
            if (!n.isObject()) {
                throw error(name, "must be an object");
            }
            return n;
        }

        JsonNode array(JsonNode parent, String name) {
            JsonNode n = get(parent, name);
            if (!n.isArray()) {
                throw error(name, "must be an array");
            }
            return n;
        }

        String text(JsonNode parent, String name) {
            JsonNode n = get(parent, name);
            if (!n.isTextual()) {
                throw error(name, "must be a string");
            }
            return n.asText();
        }

        int integer(JsonNode parent, String name) {
            JsonNode n = get(parent, name);
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                throw error(name, "must be an integer, got " + n);
            }
            return n.asInt();
        }

        double number(JsonNode parent, String name) {
            JsonNode n = get(parent, name);
            if (!n.isNumber()) {
                throw error(name, "must be a number, got " + n);
            }
            return n.asDouble();
        }
    }
}
