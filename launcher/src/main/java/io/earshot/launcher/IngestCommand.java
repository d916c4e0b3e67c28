package io.earshot.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Placeholder so that Main compiles; the owner of this command replaces the whole file. */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Publish audio to Kafka: replay WAV files or capture a microphone.")
public final class IngestCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'ingest' is not available in this build yet");
    }
}
