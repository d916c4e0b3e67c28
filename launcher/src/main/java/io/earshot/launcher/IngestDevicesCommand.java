package io.earshot.launcher;

import io.earshot.ingest.mic.CaptureDevices;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code earshot ingest devices}: the capture devices javax.sound sees, for {@code ingest mic --device}. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List audio capture devices (names usable with 'earshot ingest mic --device') and their formats.")
public final class IngestDevicesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<CaptureDevices.Device> devices = CaptureDevices.list();
        if (devices.isEmpty()) {
            out.println("no audio capture devices found");
        }
        for (CaptureDevices.Device d : devices) {
            out.println(d.name() + (d.description().isBlank() ? "" : "  (" + d.description() + ")"));
            Set<String> formats = new LinkedHashSet<>();
            for (AudioFormat f : d.formats()) {
                formats.add(describe(f));
            }
            for (String f : formats) {
                out.println("    " + f);
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private static String describe(AudioFormat f) {
        String rate = f.getSampleRate() == AudioSystem.NOT_SPECIFIED ? "any rate" : Math.round(f.getSampleRate()) + " Hz";
        String ch = f.getChannels() == AudioSystem.NOT_SPECIFIED ? "any channels" : f.getChannels() + " ch";
        return f.getEncoding() + " " + f.getSampleSizeInBits() + "-bit " + (f.getSampleSizeInBits() > 8 ? (f.isBigEndian() ? "BE" : "LE") + " " : "")
                + rate + " " + ch;
    }
}
