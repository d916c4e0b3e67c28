package io.earshot.evaluation.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Tab-separated lines of a DCASE file, with strict number parsing and located errors. */
final class TsvLines {
    /** A plain decimal number; Double.parseDouble alone would also take "NaN", "Infinity", "0x1p3" or "1d". */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** One non-blank line: its 1-based number and its cells, each trimmed. */
    record Row(int line, String[] cells) {
        String cell(int i) {
            return i < cells.length ? cells[i] : "";
        }
    }

    private final String source;
    private final List<Row> rows;

    private TsvLines(String source, List<Row> rows) {
        this.source = source;
        this.rows = rows;
    }

    static TsvLines read(Path path) {
        String source = path.toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw DcaseInputException.in(source, "file not found");
        } catch (java.nio.charset.MalformedInputException e) {
            throw DcaseInputException.in(source, "not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        return parse(source, lines);
    }

    static TsvLines parse(String source, List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (i == 0 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                continue;
            }
            String[] cells = text.split("\t", -1);
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cells[c].strip();
            }
            int n = cells.length;
            while (n > 0 && cells[n - 1].isEmpty()) {
                n--; // trailing tabs
            }
            rows.add(new Row(i + 1, java.util.Arrays.copyOf(cells, n)));
        }
        return new TsvLines(source, rows);
    }

    String source() {
        return source;
    }

    List<Row> rows() {
        return rows;
    }

    static boolean isNumber(String cell) {
        return DECIMAL.matcher(cell).matches();
    }

    double number(Row row, int column, String what) {
        String cell = row.cell(column);
        if (cell.isEmpty()) {
            throw error(row, "missing " + what);
        }
        if (!isNumber(cell)) {
            throw error(row, what + " '" + cell + "' is not a number");
        }
        double value = Double.parseDouble(cell);
        if (!Double.isFinite(value)) {
            throw error(row, what + " '" + cell + "' is out of range");
        }
        return value;
    }

    DcaseInputException error(Row row, String problem) {
        return DcaseInputException.at(source, row.line(), problem);
    }

    String origin(Row row) {
        return source + ":" + row.line();
    }
}
