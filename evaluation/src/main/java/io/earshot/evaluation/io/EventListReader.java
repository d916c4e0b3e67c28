package io.earshot.evaluation.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a DCASE event list: {@code filename<TAB>onset<TAB>offset<TAB>event_label}, seconds as
 * decimal numbers. The header line is optional; when present its column names decide the order
 * (extra columns are ignored). A row holding only a file name lists a file without events.
 * An empty file (or one with only the header) is an empty list.
 */
public final class EventListReader {
    private static final String[] COLUMNS = {"filename", "onset", "offset", "event_label"};

    private EventListReader() {
    }

    public static EventTable read(Path path) {
        return parse(TsvLines.read(path));
    }

    /** Parses lines already in memory; {@code source} names them in error messages. */
    public static EventTable parse(String source, List<String> lines) {
        return parse(TsvLines.parse(source, lines));
    }

    private static EventTable parse(TsvLines tsv) {
        List<TsvLines.Row> rows = tsv.rows();
        int[] column = {0, 1, 2, 3};
        int first = 0;
        if (!rows.isEmpty() && isHeader(rows.get(0))) {
            column = headerColumns(tsv, rows.get(0));
            first = 1;
        }
        int needed = 1 + Math.max(Math.max(column[1], column[2]), Math.max(column[0], column[3]));
        Map<String, List<Event>> byFile = new LinkedHashMap<>();
        for (TsvLines.Row row : rows.subList(first, rows.size())) {
            String file = row.cell(column[0]);
            if (file.isEmpty()) {
                throw tsv.error(row, "missing filename");
            }
            List<Event> events = byFile.computeIfAbsent(file, f -> new ArrayList<>());
            if (row.cells().length == 1 && column[0] == 0) {
                if (file.matches(".*\\s+[-+.0-9].*")) {
                    throw tsv.error(row, "expected " + needed + " tab-separated columns (filename, onset, offset,"
                            + " event_label), found 1 (are the columns separated by spaces?)");
                }
                continue; // a file listed without events
            }
            if (row.cells().length < needed) {
                throw tsv.error(row, "expected " + needed + " tab-separated columns (filename, onset, offset,"
                        + " event_label), found " + row.cells().length);
            }
            double onset = tsv.number(row, column[1], "onset");
            double offset = tsv.number(row, column[2], "offset");
            String label = row.cell(column[3]);
            if (label.isEmpty()) {
                throw tsv.error(row, "missing event_label");
            }
            if (onset < 0) {
                throw tsv.error(row, "negative onset " + onset);
            }
            if (onset > offset) {
                throw tsv.error(row, "onset " + onset + " is after offset " + offset);
            }
            events.add(new Event(file, onset, offset, label, tsv.origin(row)));
        }
        return new EventTable(tsv.source(), byFile);
    }

    /** A first row naming the onset or filename column is a header. */
    private static boolean isHeader(TsvLines.Row row) {
        for (String cell : row.cells()) {
            String name = cell.toLowerCase(Locale.ROOT);
            if (name.equals("onset") || name.equals("event_onset") || name.equals("filename")) {
                return true;
            }
        }
        return false;
    }

    private static int[] headerColumns(TsvLines tsv, TsvLines.Row header) {
        int[] column = {-1, -1, -1, -1};
        for (int c = 0; c < header.cells().length; c++) {
            int which = switch (header.cell(c).toLowerCase(Locale.ROOT)) {
                case "filename", "file" -> 0;
                case "onset", "event_onset" -> 1;
                case "offset", "event_offset" -> 2;
                case "event_label", "label" -> 3;
                default -> -1;
            };
            if (which >= 0) {
                column[which] = c;
            }
        }
        for (int i = 0; i < column.length; i++) {
            if (column[i] < 0) {
                throw tsv.error(header, "header has no '" + COLUMNS[i] + "' column (expected "
                        + String.join(", ", COLUMNS) + ")");
            }
        }
        return column;
    }
}
