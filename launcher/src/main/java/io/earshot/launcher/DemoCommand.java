package io.earshot.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Placeholder so that Main compiles; the owner of this command replaces the whole file. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the whole pipeline on the demo soundscapes in one process.")
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'demo' is not available in this build yet");
    }
}
