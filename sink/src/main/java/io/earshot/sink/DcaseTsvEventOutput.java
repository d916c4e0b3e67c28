package io.earshot.sink;

import io.earshot.protocol.SoundEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Closed events as a DCASE event list, ready for {@code earshot eval}:
 * <pre>
 * filename	onset	offset	event_label
 * street-01.wav	12.345000	14.000000	Speech
 * </pre>
 * The filename is the source id, times are seconds since stream start with 6 decimals. Start records
 * are ignored. A row is identified by (filename, onset, label) - the event id's ingredients that the
 * file holds - so rows already in the file are not written again after a restart.
 */
final class DcaseTsvEventOutput implements EventOutput {

    static final String HEADER = "filename\tonset\toffset\tevent_label";

    private final AppendOnlyLinesFile file;
    private final Set<String> written = new HashSet<>();

    DcaseTsvEventOutput(Path path) throws IOException {
        this.file = AppendOnlyLinesFile.open(path, line -> {
            String[] cells = line.split("\t", -1);
            if (cells.length >= 4 && !line.equals(HEADER)) {
                written.add(key(cells[0], cells[1], cells[3]));
            }
        });
        if (file.wasEmpty()) {
            file.append(HEADER);
        }
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }

    private static String key(String file, String onset, String label) {
        return file + '\t' + onset + '\t' + label;
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
        if (event.sourceId().indexOf('\t') >= 0 || event.label().indexOf('\t') >= 0) {
            throw new IllegalArgumentException("source id or label contains a tab, cannot be a DCASE TSV cell: "
                    + event.sourceId() + " / " + event.label());
        }
        String onset = seconds(event.onsetSec());
        if (!written.add(key(event.sourceId(), onset, event.label()))) {
            return Outcome.DUPLICATE;
        }
        file.append(event.sourceId() + '\t' + onset + '\t' + seconds(event.offsetSec()) + '\t' + event.label());
        return Outcome.WRITTEN;
    }

    @Override
    public void flush() throws IOException {
        file.flush();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
