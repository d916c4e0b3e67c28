package io.earshot.evaluation.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How Earshot names recordings in DCASE files (docs/sinks.md, "File names"): the {@code filename} of an
 * event list and of a durations list, and the score table file of each.
 *
 * <p>Both mappings are injective and reversible, so two streams or two sources never share a row key or
 * a score file:
 * <ul>
 *   <li>{@link #recording}: the first stream of a source is named after the source id; every later stream
 *       of the same source gets {@code <source>~<stream id>}. In both parts {@code %}, {@code ~} and
 *       control characters (tab, newline) are percent-encoded (UTF-8), so the last {@code ~} separates
 *       the stream and a source id that itself contains {@code ~} cannot pose as another's stream.</li>
 *   <li>{@link #scoreTableFile}: the recording name with every character other than ASCII letters,
 *       digits, {@code . _ - ~} percent-encoded (and a leading dot, so no name is hidden, {@code .} or
 *       {@code ..}), plus {@code .tsv}. Nothing is cut off: {@code room.1} and {@code room.2} get
 *       {@code room.1.tsv} and {@code room.2.tsv}.</li>
 * </ul>
 */
public final class DcaseFileNames {

    /** Separates a source from the stream id in the name of a source's second and later streams. */
    public static final char STREAM_SEPARATOR = '~';
    private static final String TABLE_SUFFIX = ".tsv";

    private DcaseFileNames() {
    }

    /**
     * The DCASE file name of one stream of a source.
     *
     * @param firstOfSource true for the first stream of the source (it keeps the source's name, which is
     *                      what a ground-truth list names), false for every later one
     */
    public static String recording(String sourceId, String streamId, boolean firstOfSource) {
        String source = encode(sourceId, DcaseFileNames::keptInRecording);
        return firstOfSource ? source : source + STREAM_SEPARATOR + encode(streamId, DcaseFileNames::keptInRecording);
    }

    /** The score table file (in a scores directory) of a recording name: reversible, nothing cut off. */
    public static String scoreTableFile(String recording) {
        String encoded = encode(recording, DcaseFileNames::keptInFileName);
        if (encoded.startsWith(".")) {
            encoded = "%2E" + encoded.substring(1);
        }
        return encoded + TABLE_SUFFIX;
    }

    /** The recording name a score table file stands for: the inverse of {@link #scoreTableFile}. */
    public static String recordingOfScoreTable(String fileName) {
        if (!fileName.endsWith(TABLE_SUFFIX)) {
            throw new IllegalArgumentException("not a score table file name (no " + TABLE_SUFFIX + "): " + fileName);
        }
        return decode(fileName.substring(0, fileName.length() - TABLE_SUFFIX.length()));
    }

    private static boolean keptInRecording(int b) {
        return b != '%' && b != STREAM_SEPARATOR && b >= 0x20 && b != 0x7f;
    }

    private static boolean keptInFileName(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '.' || b == '_'
                || b == '-' || b == STREAM_SEPARATOR;
    }

    private interface Kept {
        boolean test(int unsignedByte);
    }

    private static String encode(String s, Kept kept) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 8);
        for (byte value : bytes) {
            int b = value & 0xff;
            // Bytes >= 0x80 are parts of multi-byte characters: kept where the rule keeps them (in
            // recording names), so names stay readable; encoded in file names.
            if (kept.test(b)) {
                out.write(b);
            } else {
                out.writeBytes(String.format("%%%02X", b).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else if (bytes[i] == '%') {
                throw new IllegalArgumentException("truncated percent escape in " + s);
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
