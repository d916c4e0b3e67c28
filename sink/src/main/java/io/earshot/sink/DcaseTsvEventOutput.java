package io.earshot.sink;

import io.earshot.protocol.SoundEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Closed events as a DCASE event list, ready for {@code earshot eval}:
 * <pre>
 * filename	onset	offset	event_label
 * street-01.wav	12.345000	14.000000	Speech
 * </pre>
 * The filename names the stream ({@link StreamNames}: the source id for a source's first stream,
 * {@code <source>~<stream id>} for later ones; the names live in {@code <file>.streams}); times are
 * seconds since stream start with 6 decimals. Start records are ignored.
 *
 * <p>Duplicates are found by event id, per stream ({@link EventDedupe}). A row of the file stands for
 * exactly one id: its file name is one stream, and within a stream (label, onset) is the id's remaining
 * content, so after a restart the rows already in the file are known again without reading the index.
 */
final class DcaseTsvEventOutput implements EventOutput {

    static final String HEADER = "filename\tonset\toffset\tevent_label";

    private final AppendOnlyLinesFile file;
    private final StreamNames names;
    private final EventDedupe written;

    DcaseTsvEventOutput(Path path) throws IOException {
        this(path, EventDedupe.Limits.DEFAULT, StreamNames.DEFAULT_MAX_SOURCES);
    }

    DcaseTsvEventOutput(Path path, EventDedupe.Limits limits, int maxSources) throws IOException {
        this.written = new EventDedupe(limits, this::rowsOf);
        this.file = AppendOnlyLinesFile.open(path, line -> {
            Row r = Row.parse(line);
            if (r != null) {
                written.load(r.file(), r.key(), r.label(), r.onsetMicros());
            }
        });
        StreamNames n;
        try {
            if (file.wasEmpty()) {
                file.append(HEADER);
            }
            n = StreamNames.open(indexFor(path), maxSources);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        this.names = n;
    }

    /** The stream index of a TSV file: the same path with {@code .streams} appended. */
    static Path indexFor(Path tsv) {
        return tsv.resolveSibling(tsv.getFileName() + ".streams");
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }

    /** One data row: the stream's file name, and the row's identity within it (label, onset). */
    private record Row(String file, String label, String onset) {
        static Row parse(String line) {
            String[] cells = line.split("\t", -1);
            if (cells.length < 4 || line.equals(HEADER)) {
                return null;
            }
            return new Row(cells[0], cells[3], cells[1]);
        }

        String key() {
            return label + '\t' + onset;
        }

        /** Onset in microseconds (the file's resolution): the order of a label's events in a stream. */
        long onsetMicros() {
            try {
                return Math.round(Double.parseDouble(onset) * 1e6);
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }
    }

    private void rowsOf(String stream, EventDedupe.Row out) throws IOException {
        file.flush();
        AppendOnlyLinesFile.readLines(file.path(), line -> {
            Row r = Row.parse(line);
            if (r != null && r.file().equals(stream)) {
                out.accept(r.key(), r.label(), r.onsetMicros());
            }
        });
    }

    @Override
    public String name() {
        return "tsv";
    }

    @Override
    public Outcome accept(SoundEvent event) throws IOException {
        if (event.state() != SoundEvent.State.END) {
            return Outcome.IGNORED;
        }
        if (event.label().indexOf('\t') >= 0 || event.label().indexOf('\n') >= 0) {
            throw new IllegalArgumentException("label contains a tab or newline, cannot be a DCASE TSV cell: "
                    + event.label());
        }
        String stream = names.of(event.sourceId(), event.streamId()).file();
        Row row = new Row(stream, event.label(), seconds(event.onsetSec()));
        if (!written.firstTime(stream, row.key(), row.label(), row.onsetMicros())) {
            return Outcome.DUPLICATE;
        }
        file.append(stream + '\t' + row.onset() + '\t' + seconds(event.offsetSec()) + '\t' + event.label());
        return Outcome.WRITTEN;
    }

    /** What the duplicate check holds now (for the bounded-memory test). */
    EventDedupe dedupe() {
        return written;
    }

    StreamNames names() {
        return names;
    }

    @Override
    public void flush() throws IOException {
        file.flush();
    }

    @Override
    public void force() throws IOException {
        names.force();
        file.force();
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            names.close();
        }
    }
}
