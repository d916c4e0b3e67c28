package io.earshot.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code earshot ingest}: the capture agents, as subcommands. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Publish audio to Kafka: replay WAV files, capture a microphone, or list capture devices.",
        subcommands = {IngestReplayCommand.class, IngestMicCommand.class, IngestDevicesCommand.class})
public final class IngestCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: replay, mic or devices");
    }
}
