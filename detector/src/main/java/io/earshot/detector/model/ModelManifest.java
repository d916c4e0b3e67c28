package io.earshot.detector.model;

import io.earshot.dsp.decode.DecoderConfig;
import io.earshot.dsp.decode.FrameGrid;
import io.earshot.dsp.features.LogMelSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * What the detector needs to know about a model, read from its JSON manifest
 * (docs/model-manifest.md): the features it expects, its tensor names, its output-frame grid, its
 * default window and hop, and the per-label decoding rules.
 *
 * @param name            model name (reported with every event)
 * @param version         model version (reported with every event)
 * @param labels          class labels in output order
 * @param features        the log-mel input definition, normalisation included
 * @param inputName       ONNX input tensor name ([batch, time, nMels])
 * @param frameOutputName ONNX output tensor of frame probabilities ([batch, ceil(time / pooling), labels])
 * @param timePooling     input frames per output frame
 * @param windowFrames    default analysis window in input frames
 * @param hopFrames       default hop between windows in input frames
 * @param grid            output frame to sample mapping
 * @param decoders        decoding rules per label, in label order
 * @param onnxSha256      SHA-256 of the ONNX file the manifest was written for (64 lower-case hex digits),
 *                        or null when the manifest does not say (the model then loads unverified)
 * @param source          the manifest file (for messages)
 */
public record ModelManifest(String name, String version, List<String> labels, LogMelSpec features,
                            String inputName, String frameOutputName, int timePooling, int windowFrames,
                            int hopFrames, FrameGrid grid, List<DecoderConfig> decoders, String onnxSha256,
                            Path source) {

    public ModelManifest {
        labels = List.copyOf(labels);
        decoders = List.copyOf(decoders);
        if (labels.isEmpty()) {
            throw new ModelException("manifest " + source + " lists no labels");
        }
        if (decoders.size() != labels.size()) {
            throw new ModelException("manifest " + source + " has " + decoders.size() + " decoder settings for "
                    + labels.size() + " labels");
        }
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
