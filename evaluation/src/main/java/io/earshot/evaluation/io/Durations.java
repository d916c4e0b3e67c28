package io.earshot.evaluation.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audio files of an evaluation and their lengths in seconds ({@code filename<TAB>duration},
 * header optional). This is the authoritative file list: a file without ground-truth events is
 * still evaluated, and any other file named in an input is an error.
 */
public final class Durations {
    private final String source;
    private final Map<String, Double> seconds;

    public Durations(String source, Map<String, Double> seconds) {
        this.source = source;
        this.seconds = Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
        if (this.seconds.isEmpty()) {
            throw DcaseInputException.in(source, "no files listed");
        }
    }

    public static Durations read(Path path) {
        return parse(TsvLines.read(path));
    }

    public static Durations parse(String source, List<String> lines) {
        return parse(TsvLines.parse(source, lines));
    }

    private static Durations parse(TsvLines tsv) {
        List<TsvLines.Row> rows = tsv.rows();
        int first = !rows.isEmpty() && (rows.get(0).cell(0).equalsIgnoreCase("filename")
                || rows.get(0).cell(1).equalsIgnoreCase("duration")) ? 1 : 0;
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (TsvLines.Row row : rows.subList(first, rows.size())) {
            if (row.cells().length < 2) {
                throw tsv.error(row, "expected 2 tab-separated columns (filename, duration), found "
                        + row.cells().length);
            }
            String file = row.cell(0);
            if (file.isEmpty()) {
                throw tsv.error(row, "missing filename");
            }
            double duration = tsv.number(row, 1, "duration");
            if (duration < 0) {
                throw tsv.error(row, "negative duration " + duration + " for " + file);
            }
            if (duration == 0) {
                throw tsv.error(row, "zero duration for " + file);
            }
            if (seconds.put(file, duration) != null) {
                throw tsv.error(row, "file " + file + " is listed twice");
            }
        }
        return new Durations(tsv.source(), seconds);
    }

    public String source() {
        return source;
    }

    /** The files in the order listed. */
    public Set<String> files() {
        return seconds.keySet();
    }

    public boolean contains(String file) {
        return seconds.containsKey(file);
    }

    public double of(String file) {
        Double d = seconds.get(file);
        if (d == null) {
            throw new IllegalArgumentException("unknown file " + file);
        }
        return d;
    }

    /** Total length in seconds, summed in file order. */
    public double total() {
        double sum = 0;
        for (double d : seconds.values()) {
            sum += d;
        }
        return sum;
    }
}
