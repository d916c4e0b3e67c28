package io.earshot.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Placeholder so that Main compiles; the owner of this command replaces the whole file. */
@Command(name = "detect", mixinStandardHelpOptions = true, description = "Run the sound event detector (Kafka Streams + ONNX Runtime).")
public final class DetectCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'detect' is not available in this build yet");
    }
}
