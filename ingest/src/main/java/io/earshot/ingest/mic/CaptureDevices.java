package io.earshot.ingest.mic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/** The capture devices javax.sound knows: mixers that offer a {@link TargetDataLine}. */
public final class CaptureDevices {

    /** One capture device and the formats it advertises ({@code -1} = any value). */
    public record Device(String name, String description, String vendor, List<AudioFormat> formats) {
        @Override
        public String toString() {
            return name + (description.isBlank() ? "" : " (" + description + ")");
        }
    }

    private CaptureDevices() {
    }

    public static List<Device> list() {
        List<Device> devices = new ArrayList<>();
        for (Mixer.Info info : AudioSystem.getMixerInfo()) {
            Mixer mixer = AudioSystem.getMixer(info);
            List<AudioFormat> formats = new ArrayList<>();
            boolean capture = false;
            for (Line.Info li : mixer.getTargetLineInfo()) {
                if (li instanceof DataLine.Info dli && TargetDataLine.class.isAssignableFrom(dli.getLineClass())) {
                    capture = true;
                    formats.addAll(List.of(dli.getFormats()));
                }
            }
            if (capture) {
                devices.add(new Device(info.getName(), info.getDescription(), info.getVendor(), formats));
            }
        }
        return devices;
    }

    /**
     * The mixer for a device name: an exact (case-insensitive) match, else the only device whose name
     * contains {@code name}; null picks the first capture device.
     *
     * @throws IllegalArgumentException naming the available devices when none or several match
     */
    public static Mixer find(String name) {
        List<Device> devices = list();
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no audio capture device found (javax.sound lists no mixer with a capture line)");
        }
        Device chosen = null;
        if (name == null || name.isBlank()) {
            chosen = devices.get(0);
        } else {
            String want = name.toLowerCase(Locale.ROOT);
            List<Device> partial = new ArrayList<>();
            for (Device d : devices) {
                if (d.name().equalsIgnoreCase(name)) {
                    chosen = d;
                    break;
                }
                if (d.name().toLowerCase(Locale.ROOT).contains(want)) {
                    partial.add(d);
                }
            }
            if (chosen == null) {
                if (partial.size() != 1) {
                    throw new IllegalArgumentException((partial.isEmpty() ? "no capture device matches '" : "several capture devices match '")
                            + name + "'; available: " + names(partial.isEmpty() ? devices : partial));
                }
                chosen = partial.get(0);
            }
        }
        for (Mixer.Info info : AudioSystem.getMixerInfo()) {
            if (info.getName().equals(chosen.name())) {
                return AudioSystem.getMixer(info);
            }
        }
        throw new IllegalStateException("capture device '" + chosen.name() + "' disappeared");
    }

    private static String names(List<Device> devices) {
        StringBuilder s = new StringBuilder();
        for (Device d : devices) {
            s.append(s.length() == 0 ? "" : ", ").append('\'').append(d.name()).append('\'');
        }
        return s.toString();
    }
}
