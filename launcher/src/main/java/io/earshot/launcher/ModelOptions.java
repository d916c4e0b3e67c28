package io.earshot.launcher;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model} option of the commands that run the detector ({@code detect}, {@code demo}). */
public final class ModelOptions {

    @Option(names = "--model", paramLabel = "FILE", defaultValue = "models/earshot-sed-v2-ens.onnx",
            description = "ONNX model; its manifest is the same path with .json (default: ${DEFAULT-VALUE}).")
    Path model;

    /** The model file as given, found relative to the working directory or the Earshot home. */
    public Path resolved() {
        return EarshotHome.resolve(model);
    }

    /** The model as the user wrote it (for messages). */
    public Path given() {
        return model;
    }
}
