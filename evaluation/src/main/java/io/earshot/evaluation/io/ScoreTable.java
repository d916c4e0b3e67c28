package io.earshot.evaluation.io;

import io.earshot.dsp.decode.MedianFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frame-level class scores of one audio file (sed_scores_eval's score table): frame k spans
 * [onsets[k], offsets[k]] seconds; frames are contiguous and in time order.
 * {@code scores[c][k]} is the score of class {@code classes.get(c)} in frame k.
 */
public final class ScoreTable {
    private final String file;
    private final double[] onsets;
    private final double[] offsets;
    private final List<String> classes;
    private final double[][] scores;

    public ScoreTable(String file, double[] onsets, double[] offsets, List<String> classes, double[][] scores) {
        if (onsets.length != offsets.length || scores.length != classes.size()) {
            throw new IllegalArgumentException("inconsistent score table shape for " + file);
        }
        for (double[] column : scores) {
            if (column.length != onsets.length) {
                throw new IllegalArgumentException("inconsistent score table shape for " + file);
            }
        }
        this.file = file;
        this.onsets = onsets.clone();
        this.offsets = offsets.clone();
        this.classes = List.copyOf(classes);
        this.scores = new double[scores.length][];
        for (int c = 0; c < scores.length; c++) {
            this.scores[c] = scores[c].clone();
        }
    }

    /** The audio file these scores belong to (as named in the durations list). */
    public String file() {
        return file;
    }

    public int frames() {
        return onsets.length;
    }

    public double onset(int frame) {
        return onsets[frame];
    }

    public double offset(int frame) {
        return offsets[frame];
    }

    public List<String> classes() {
        return classes;
    }

    /** The score of class {@code label} in one frame. */
    public double score(String label, int frame) {
        return scores[columnOf(label)][frame];
    }

    /** A copy of the scores of one class over all frames. */
    public double[] column(String label) {
        return scores[columnOf(label)].clone();
    }

    /**
     * These scores post-processed as the model's event decoder does before its thresholds: per class a
     * centred median filter of odd length (nearest edges, {@link MedianFilter}), over the frames in
     * order. Classes not in {@code windowByLabel} are left as they are; a label the table does not have
     * is an error.
     */
    public ScoreTable medianFiltered(Map<String, Integer> windowByLabel) {
        double[][] out = new double[scores.length][];
        for (int c = 0; c < scores.length; c++) {
            out[c] = scores[c];
        }
        windowByLabel.forEach((label, window) -> {
            int c = columnOf(label);
            out[c] = MedianFilter.apply(scores[c], window);
        });
        return new ScoreTable(file, onsets, offsets, classes, out);
    }

    /** {@link #medianFiltered} of every table, in map order. */
    public static Map<String, ScoreTable> medianFiltered(Map<String, ScoreTable> tables,
                                                        Map<String, Integer> windowByLabel) {
        Map<String, ScoreTable> out = new LinkedHashMap<>();
        tables.forEach((file, table) -> out.put(file, table.medianFiltered(windowByLabel)));
        return out;
    }

    /**
     * The detections at a decision threshold: each run of consecutive frames whose score is
     * strictly greater than {@code threshold} is one event, from the onset of its first frame to
     * the offset of its last. Sorted by onset, offset, label.
     */
    public List<Event> eventsAbove(double threshold) {
        List<Event> events = new java.util.ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            double[] column = scores[c];
            int k = 0;
            while (k < column.length) {
                if (column[k] > threshold) {
                    int start = k;
                    while (k + 1 < column.length && column[k + 1] > threshold) {
                        k++;
                    }
                    events.add(new Event(file, onsets[start], offsets[k], classes.get(c)));
                }
                k++;
            }
        }
        events.sort(java.util.Comparator.comparingDouble(Event::onset).thenComparingDouble(Event::offset)
                .thenComparing(Event::label));
        return events;
    }

    /** The detections of all tables at a threshold (see {@link #eventsAbove}), files in map order. */
    public static EventTable detectionsAbove(java.util.Map<String, ScoreTable> tables, double threshold) {
        java.util.Map<String, List<Event>> byFile = new java.util.LinkedHashMap<>();
        tables.forEach((file, table) -> byFile.put(file, table.eventsAbove(threshold)));
        return new EventTable("scores > " + threshold, byFile);
    }

    public int columnOf(String label) {
        int c = classes.indexOf(label);
        if (c < 0) {
            throw new IllegalArgumentException("no class " + label + " in the scores of " + file);
        }
        return c;
    }
}
