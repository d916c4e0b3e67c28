package io.earshot.sink;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an event output has already written, by event id, per stream, in bounded memory
 * (docs/sinks.md, "Bounded memory").
 *
 * <p>Per stream it keeps the ids of the last {@link Limits#idsPerStream} records written. Older ids of
 * a stream are summarised per label (and state) by the onset of the latest one let go: events of one
 * label in one stream come strictly in onset order (the decoder closes one before it opens the next),
 * so a record at or before that onset was written before. Whole streams are let go, least recently
 * used first, beyond {@link Limits#streams} streams or {@link Limits#ids} ids in all. A stream let go
 * that sends again (a sink re-reading old records) is looked up in the output's file once more; a
 * {@link SeenFilter} tells brand-new streams, which need no look-up, from those.
 */
final class EventDedupe {

    /** The bounds; the defaults hold about 50 MB at most (some 250 bytes per id with its map entry). */
    record Limits(int streams, int ids, int idsPerStream) {
        static final Limits DEFAULT = new Limits(10_000, 200_000, 4_096);

        Limits {
            if (streams < 1 || ids < 1 || idsPerStream < 1) {
                throw new IllegalArgumentException("dedupe limits must be positive: " + streams + ", " + ids + ", "
                        + idsPerStream);
            }
        }
    }

    /** Reads an output's file and hands back every record of one stream. */
    interface Rescan {
        void rows(String stream, Row row) throws IOException;
    }

    /** One written record: its id, the order key (label, and state where both are written) and its onset sample. */
    interface Row {
        void accept(String id, String orderKey, long onsetSample);
    }

    private static final class StreamState {
        /** id -> order key and onset, oldest first. */
        final LinkedHashMap<String, Written> ids = new LinkedHashMap<>();
        final Map<String, Long> floor = new HashMap<>();
    }

    private record Written(String orderKey, long onsetSample) {
    }

    private final Limits limits;
    private final Rescan rescan;
    private final SeenFilter seen = new SeenFilter();
    /** Streams in memory, least recently used first. */
    private final LinkedHashMap<String, StreamState> streams = new LinkedHashMap<>(16, 0.75f, true);
    private long idsHeld;
    private long rescans;

    EventDedupe(Limits limits, Rescan rescan) {
        this.limits = limits;
        this.rescan = rescan;
    }

    /**
     * A record found in the file while the output opens. Streams are kept as they come, within the
     * bounds; a stream let go during the pass is not taken up again by it (its state would be partial),
     * so it is looked up in the file when it sends again.
     */
    void load(String stream, String id, String orderKey, long onsetSample) {
        StreamState state = streams.get(stream);
        if (state == null) {
            if (seen.mightContain(stream)) {
                return;
            }
            seen.add(stream);
            state = new StreamState();
            streams.put(stream, state);
        }
        add(state, id, orderKey, onsetSample);
        evictStreams();
    }

    /**
     * Records {@code id} as written unless it was already: returns false for a duplicate (the caller
     * skips it), true when the caller must write it.
     */
    boolean firstTime(String stream, String id, String orderKey, long onsetSample) throws IOException {
        StreamState state = streams.get(stream);
        if (state == null) {
            state = new StreamState();
            if (seen.mightContain(stream)) {
                StreamState found = state;
                rescans++;
                rescan.rows(stream, (i, k, o) -> add(found, i, k, o));
            }
            seen.add(stream);
            streams.put(stream, state);
        }
        if (state.ids.containsKey(id) || onsetSample <= state.floor.getOrDefault(orderKey, Long.MIN_VALUE)) {
            return false;
        }
        add(state, id, orderKey, onsetSample);
        evictStreams();
        return true;
    }

    private void add(StreamState state, String id, String orderKey, long onsetSample) {
        if (state.ids.put(id, new Written(orderKey, onsetSample)) == null) {
            idsHeld++;
        }
        if (state.ids.size() > limits.idsPerStream()) {
            Iterator<Map.Entry<String, Written>> it = state.ids.entrySet().iterator();
            Written oldest = it.next().getValue();
            it.remove();
            idsHeld--;
            state.floor.merge(oldest.orderKey(), oldest.onsetSample(), Math::max);
        }
    }

    private void evictStreams() {
        Iterator<StreamState> it = streams.values().iterator();
        while ((streams.size() > limits.streams() || idsHeld > limits.ids()) && streams.size() > 1 && it.hasNext()) {
            StreamState eldest = it.next();
            idsHeld -= eldest.ids.size();
            it.remove();
        }
    }

    /** Streams held in memory now. */
    int streamsHeld() {
        return streams.size();
    }

    /** Ids held in memory now, over all streams. */
    long idsHeld() {
        return idsHeld;
    }

    /** Times a stream let go was looked up in the file again. */
    long rescans() {
        return rescans;
    }
}
