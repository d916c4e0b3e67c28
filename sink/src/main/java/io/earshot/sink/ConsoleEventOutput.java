package io.earshot.sink;

import io.earshot.protocol.SoundEvent;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One readable line per event start and end, for example:
 * <pre>
 * 2026-11-24 23:01:02.345  START  kitchen-mic  Speech           conf 0.91  at 12.345 s
 * 2026-11-24 23:01:04.000  END    kitchen-mic  Speech           conf 0.88  12.345-14.000 s (1.655 s)
 * </pre>
 * The time is the wall-clock capture time of the onset (start) or offset (end) in UTC.
 */
final class ConsoleEventOutput implements EventOutput {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final PrintWriter out;

    ConsoleEventOutput(PrintWriter out) {
        this.out = out;
    }

    /** The line printed for one record. */
    static String format(SoundEvent e) {
        boolean end = e.state() == SoundEvent.State.END;
        long micros = end ? e.offsetTimeMicros() : e.onsetTimeMicros();
        String time = TIME.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000));
        String head = String.format(Locale.ROOT, "%s  %-5s  %s  %-16s conf %.2f", time, end ? "END" : "START",
                e.sourceId(), e.label(), e.confidence());
        if (end) {
            return head + String.format(Locale.ROOT, "  %.3f-%.3f s (%.3f s)", e.onsetSec(), e.offsetSec(),
                    e.durationSec());
        }
        return head + String.format(Locale.ROOT, "  at %.3f s", e.onsetSec());
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public Outcome accept(SoundEvent event) {
        out.println(format(event));
        return Outcome.WRITTEN;
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
