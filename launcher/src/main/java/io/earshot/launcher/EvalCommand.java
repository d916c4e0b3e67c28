package io.earshot.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Placeholder so that Main compiles; the owner of this command replaces the whole file. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate detected events against ground truth (DCASE metrics).")
public final class EvalCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'eval' is not available in this build yet");
    }
}
