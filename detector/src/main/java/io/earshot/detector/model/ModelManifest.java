package io.earshot.detector.model;

import io.earshot.dsp.decode.DecoderConfig;
import io.earshot.dsp.decode.FrameGrid;
import io.earshot.dsp.features.LogMelSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * What the detector needs to know about a model, read from its JSON manifest
 * (docs/model-manifest.md): the features it expects, its tensor names, its output-frame grid, how it
 * is run (windowed: its default window and hop, if it names them; streaming: block size, look-ahead and
 * state) and the per-label decoding rules.
 *
 * @param name            model name (reported with every event)
 * @param version         model version (reported with every event)
 * @param labels          class labels in output order
 * @param features        the log-mel input definition, normalisation included
 * @param inputName       ONNX input tensor name ([batch, time, nMels])
 * @param frameOutputName ONNX output tensor of frame probabilities ([batch, ceil(time / pooling), labels])
 * @param timePooling     input frames per output frame
 * @param window          the manifest's default window and hop (windowed models; null when it names none)
 * @param streaming       how to run a streaming model, null for a windowed one
 * @param grid            output frame to sample mapping
 * @param decoders        decoding rules per label, in label order
 * @param onnxSha256      SHA-256 of the ONNX file the manifest was written for (64 lower-case hex digits),
 *                        or null when the manifest does not say (the model then loads unverified)
 * @param source          the manifest file (for messages)
 */
public record ModelManifest(String name, String version, List<String> labels, LogMelSpec features,
                            String inputName, String frameOutputName, int timePooling, WindowBlock window,
                            StreamingSpec streaming, FrameGrid grid, List<DecoderConfig> decoders, String onnxSha256,
                            Path source) {

    public ModelManifest {
        labels = List.copyOf(labels);
        decoders = List.copyOf(decoders);
        if (labels.isEmpty()) {
            throw new ModelException("manifest " + source + " lists no labels");
        }
        if (streaming != null && window != null) {
            throw new ModelException("manifest " + source + " is a streaming model and has a window block; a streaming"
                    + " model has no windows");
        }
        if (decoders.size() != labels.size()) {
            throw new ModelException("manifest " + source + " has " + decoders.size() + " decoder settings for "
                    + labels.size() + " labels");
        }
    }

    /**
     * A manifest's default analysis window and hop, in input frames.
     *
     * @param frames    window length
     * @param hopFrames hop between windows
     */
    public record WindowBlock(int frames, int hopFrames) {
    }

    /** Whether the model runs block by block with carried state ({@code "kind": "streaming"}). */
    public boolean isStreaming() {
        return streaming != null;
    }

    public int nMels() {
        return features.nMels();
    }

    public int sampleRate() {
        return features.sampleRate();
    }

    public int labelIndex(String label) {
        return labels.indexOf(label);
    }
}
