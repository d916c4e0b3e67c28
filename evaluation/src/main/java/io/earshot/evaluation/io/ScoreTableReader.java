package io.earshot.evaluation.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a directory of sed_scores_eval score tables: one TSV per audio file, named as
 * {@code earshot sink} names them ({@code file01.wav} -> {@code file01.wav.tsv}, see
 * {@link DcaseFileNames}) or as sed_scores_eval does, after the audio file without its extension
 * ({@code file01.wav} -> {@code file01.tsv}), with the header
 * {@code onset<TAB>offset<TAB><class_1>...<class_K>} and one row per frame.
 */
public final class ScoreTableReader {
    /** Frames must be contiguous; tables written with 6 decimals may be off by a rounding step. */
    private static final double CONTIGUITY_TOLERANCE = 1e-6;

    private ScoreTableReader() {
    }

    /**
     * Reads the score table of every file in {@code durations}; the columns must be exactly
     * {@code classes} (in any order).
     */
    public static Map<String, ScoreTable> readDirectory(Path dir, Durations durations, List<String> classes) {
        if (!Files.isDirectory(dir)) {
            throw DcaseInputException.in(dir.toString(), "score directory not found");
        }
        Map<String, ScoreTable> tables = new LinkedHashMap<>();
        Set<Path> expected = new HashSet<>();
        for (String file : durations.files()) {
            Path path = tableOf(dir, file);
            if (path == null) {
                throw DcaseInputException.in(dir.resolve(DcaseFileNames.scoreTableFile(file)).toString(),
                        "missing score file for " + file + " (listed in " + durations.source() + ")");
            }
            expected.add(path.normalize());
            tables.put(file, read(path, file, classes));
        }
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir, "*.tsv")) {
            for (Path path : listing) {
                if (!expected.contains(path.normalize())) {
                    throw DcaseInputException.in(path.toString(), "score file for an audio file that is not listed in "
                            + durations.source());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return tables;
    }

    /**
     * The score table of an audio file in {@code dir}: Earshot's name ({@link DcaseFileNames#scoreTableFile},
     * what {@code earshot sink --scores-dir} writes), else the sed_scores_eval name (the file's stem), else
     * the stem with unsafe characters replaced (older Earshot sinks); null when none exists.
     */
    static Path tableOf(Path dir, String audioFile) {
        for (String name : new String[] {DcaseFileNames.scoreTableFile(audioFile), stem(audioFile) + ".tsv",
                safeStem(audioFile) + ".tsv"}) {
            Path path = dir.resolve(name);
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        return null;
    }

    /** The score table of one audio file. */
    public static ScoreTable read(Path path, String audioFile, List<String> classes) {
        return parse(TsvLines.read(path), audioFile, classes);
    }

    public static ScoreTable parse(String source, List<String> lines, String audioFile, List<String> classes) {
        return parse(TsvLines.parse(source, lines), audioFile, classes);
    }

    /** The audio file name without its extension: the name of its score table. */
    public static String stem(String audioFile) {
        int slash = Math.max(audioFile.lastIndexOf('/'), audioFile.lastIndexOf('\\'));
        int dot = audioFile.lastIndexOf('.');
        return dot > slash + 1 ? audioFile.substring(0, dot) : audioFile;
    }

    /**
     * The stem with characters that are unsafe in file names ({@code / \\ : * ? " < > |} and
     * whitespace) replaced by '_', as earlier versions of {@code earshot sink --scores-dir} named their
     * tables; looked for last.
     */
    public static String safeStem(String audioFile) {
        return stem(audioFile).replaceAll("[/\\\\:*?\"<>|\\s]", "_");
    }

    private static ScoreTable parse(TsvLines tsv, String audioFile, List<String> classes) {
        List<TsvLines.Row> rows = tsv.rows();
        if (rows.isEmpty()) {
            throw DcaseInputException.in(tsv.source(), "empty score table");
        }
        TsvLines.Row header = rows.get(0);
        if (!header.cell(0).toLowerCase(Locale.ROOT).equals("onset")
                || !header.cell(1).toLowerCase(Locale.ROOT).equals("offset")) {
            throw tsv.error(header, "header must start with onset, offset and then the class names");
        }
        List<String> columns = new ArrayList<>();
        for (int c = 2; c < header.cells().length; c++) {
            String label = header.cell(c);
            if (!classes.contains(label)) {
                throw tsv.error(header, "unknown class column '" + label + "' (classes: " + String.join(", ", classes)
                        + ")");
            }
            if (columns.contains(label)) {
                throw tsv.error(header, "class column '" + label + "' appears twice");
            }
            columns.add(label);
        }
        for (String label : classes) {
            if (!columns.contains(label)) {
                throw tsv.error(header, "missing class column '" + label + "'");
            }
        }
        int frames = rows.size() - 1;
        if (frames == 0) {
            throw tsv.error(header, "score table has no frames");
        }
        double[] onsets = new double[frames];
        double[] offsets = new double[frames];
        double[][] scores = new double[columns.size()][frames];
        for (int k = 0; k < frames; k++) {
            TsvLines.Row row = rows.get(k + 1);
            if (row.cells().length != header.cells().length) {
                throw tsv.error(row, "expected " + header.cells().length + " columns like the header, found "
                        + row.cells().length);
            }
            onsets[k] = tsv.number(row, 0, "onset");
            offsets[k] = tsv.number(row, 1, "offset");
            if (onsets[k] < 0) {
                throw tsv.error(row, "negative onset " + onsets[k]);
            }
            if (onsets[k] >= offsets[k]) {
                throw tsv.error(row, "frame onset " + onsets[k] + " is not before its offset " + offsets[k]);
            }
            if (k > 0 && Math.abs(onsets[k] - offsets[k - 1]) > CONTIGUITY_TOLERANCE) {
                throw tsv.error(row, "frame starts at " + onsets[k] + " but the previous frame ended at "
                        + offsets[k - 1] + " (frames must be contiguous and in time order)");
            }
            for (int c = 0; c < columns.size(); c++) {
                scores[c][k] = tsv.number(row, c + 2, "score of " + columns.get(c));
            }
        }
        return new ScoreTable(audioFile, onsets, offsets, columns, scores);
    }
}
