package io.earshot.sink;

import io.earshot.protocol.FrameScores;
import io.earshot.evaluation.io.DcaseFileNames;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-stream frame score tables in the sed_scores_eval format, one file per stream: the stream's DCASE
 * file name ({@link StreamNames}: the source id for the source's first stream, {@code <source>~<stream
 * id>} for later ones; kept in {@code DIR/.streams}) made a safe, reversible file name
 * ({@link DcaseFileNames#scoreTableFile}: {@code street-01.wav} -> {@code street-01.wav.tsv}), which is
 * the name {@code earshot eval} looks for:
 * <pre>
 * onset	offset	Speech	Music	...
 * 0.024000	0.088000	0.012345	0.950000	...
 * </pre>
 * Rows are appended as score blocks arrive, in frame order. A frame whose start is not after the
 * last row already in its stream's table is skipped as a duplicate, so blocks consumed again after a
 * restart never duplicate or reorder rows; another stream of the same source has its own table.
 *
 * <p>At most {@link #DEFAULT_MAX_OPEN} tables stay open (each holds a file and a write buffer): a
 * replayed dataset has thousands of sources. The least recently used is flushed and closed and, when its
 * source sends more, reopened where it stopped.
 */
final class ScoreTableOutput implements Closeable {

    static final int DEFAULT_MAX_OPEN = 64;
    /** The stream index of a scores directory (not a .tsv, so evaluation does not take it for a table). */
    static final String INDEX = ".streams";

    private final Path dir;
    private final int maxOpen;
    private final StreamNames names;
    /** Open tables by stream name, least recently used first. */
    private final Map<String, Table> tables = new LinkedHashMap<>(16, 0.75f, true);

    ScoreTableOutput(Path dir) throws IOException {
        this(dir, DEFAULT_MAX_OPEN, StreamNames.DEFAULT_MAX_SOURCES);
    }

    ScoreTableOutput(Path dir, int maxOpen, int maxSources) throws IOException {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("at least one score table must stay open, got " + maxOpen);
        }
        this.dir = dir;
        this.maxOpen = maxOpen;
        Files.createDirectories(dir);
        this.names = StreamNames.open(dir.resolve(INDEX), maxSources);
    }

    /** The score table file of a stream's DCASE file name. */
    static String fileName(String recording) {
        return DcaseFileNames.scoreTableFile(recording);
    }

    static String header(List<String> labels) {
        return "onset\toffset\t" + String.join("\t", labels);
    }

    /** Appends the new frames of one block; returns the number of rows written. */
    int accept(FrameScores block) throws IOException {
        if (block.sampleRate() <= 0 || block.frameHopSamples() <= 0 || block.firstFrameStartSample() < 0) {
            throw new IllegalArgumentException("score block of " + block.sourceId() + " has sample rate "
                    + block.sampleRate() + ", frame hop " + block.frameHopSamples() + ", first frame start "
                    + block.firstFrameStartSample() + ": cannot place its frames in time");
        }
        String stream = names.of(block.sourceId(), block.streamId()).file();
        Table table = tables.get(stream);
        if (table == null) {
            closeLeastRecentlyUsed(maxOpen - 1);
            table = Table.open(dir.resolve(fileName(stream)), block);
            tables.put(stream, table);
        }
        return table.append(block);
    }

    /** The number of tables open now. */
    int openTables() {
        return tables.size();
    }

    private void closeLeastRecentlyUsed(int keep) throws IOException {
        Iterator<Table> it = tables.values().iterator();
        while (tables.size() > keep && it.hasNext()) {
            Table eldest = it.next();
            it.remove();
            eldest.file.close(); // flushes: its rows are written before any later commit
        }
    }

    void flush() throws IOException {
        for (Table t : tables.values()) {
            t.file.flush();
        }
    }

    /** Forces the open tables and the index to disk (tables closed earlier were forced when closed). */
    void force() throws IOException {
        names.force();
        for (Table t : tables.values()) {
            t.file.force();
        }
    }

    StreamNames names() {
        return names;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        try {
            names.close();
        } catch (IOException e) {
            first = e;
        }
        for (Table t : tables.values()) {
            try {
                t.file.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** One source's file and the start (in seconds) of its last row. */
    private static final class Table {
        final AppendOnlyLinesFile file;
        final List<String> labels;
        double lastOnset;

        private Table(AppendOnlyLinesFile file, List<String> labels, double lastOnset) {
            this.file = file;
            this.labels = labels;
            this.lastOnset = lastOnset;
        }

        static Table open(Path path, FrameScores first) throws IOException {
            String[] firstAndLast = new String[2];
            long[] count = {0};
            AppendOnlyLinesFile file = AppendOnlyLinesFile.open(path, line -> {
                if (count[0]++ == 0) {
                    firstAndLast[0] = line;
                }
                firstAndLast[1] = line;
            });
            if (count[0] == 0) {
                file.append(header(first.labels()));
                return new Table(file, first.labels(), Double.NEGATIVE_INFINITY);
            }
            String[] head = firstAndLast[0].split("\t", -1);
            List<String> labels = new ArrayList<>(List.of(head).subList(Math.min(2, head.length), head.length));
            if (head.length < 3 || !head[0].equals("onset") || !head[1].equals("offset")) {
                file.close();
                throw new IOException(path + " exists but is not a score table (header: " + firstAndLast[0] + ")");
            }
            double last = Double.NEGATIVE_INFINITY;
            if (count[0] > 1) {
                String lastRow = firstAndLast[1];
                try {
                    last = Double.parseDouble(lastRow.substring(0, lastRow.indexOf('\t')));
                } catch (RuntimeException e) { // no tab, or no number before it
                    file.close();
                    throw new IOException(path + ":" + count[0] + ": last row does not start with an onset,"
                            + " so where to go on is unknown: " + lastRow);
                }
            }
            return new Table(file, List.copyOf(labels), last);
        }

        int append(FrameScores block) throws IOException {
            if (!block.labels().equals(labels)) {
                throw new IllegalArgumentException("score block of " + block.sourceId() + " has labels " + block.labels()
                        + " but " + file.path() + " has " + labels);
            }
            int written = 0;
            StringBuilder row = new StringBuilder(16 * (labels.size() + 2));
            for (int k = 0; k < block.scores().size(); k++) {
                double onset = block.frameOnsetSec(k);
                // Compare at the file's precision: the last row was read back from 6 decimals.
                if (Double.parseDouble(sec(onset)) <= lastOnset) {
                    continue;
                }
                row.setLength(0);
                row.append(sec(onset)).append('\t').append(sec(block.frameOffsetSec(k)));
                for (float score : block.scores().get(k)) {
                    row.append('\t').append(String.format(Locale.ROOT, "%.6f", score));
                }
                file.append(row.toString());
                lastOnset = Double.parseDouble(sec(onset));
                written++;
            }
            return written;
        }

        private static String sec(double s) {
            return String.format(Locale.ROOT, "%.6f", s);
        }
    }
}
