package io.earshot.dsp.wav;

import java.io.IOException;
import java.nio.file.Path;

/** A WAV file that is malformed or uses an encoding this reader does not support; the message names the file. */
public class WavFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public WavFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
