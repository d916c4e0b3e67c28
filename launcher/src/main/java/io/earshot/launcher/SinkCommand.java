package io.earshot.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Placeholder so that Main compiles; the owner of this command replaces the whole file. */
@Command(name = "sink", mixinStandardHelpOptions = true, description = "Deliver detected events, scores and energy reports.")
public final class SinkCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'sink' is not available in this build yet");
    }
}
