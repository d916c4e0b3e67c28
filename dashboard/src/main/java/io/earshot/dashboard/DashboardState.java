package io.earshot.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.protocol.EnergyReport;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.SourceLevels;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * What the dashboard knows, folded from the topics: per source its level, top-k scores, open events and
 * recent spectrogram columns; a timeline of event records; the detector's health. Every change bumps a
 * version, so each browser is sent only what changed since its last push ({@link #update}). Thread-safe:
 * one lock, held briefly by the topic reader and by each push.
 */
final class DashboardState {

    static final int TOP_K = 5;
    /** Frames of the latest score block averaged for the top-k list (16 x 64 ms, about the last second scored). */
    static final int TOP_K_FRAMES = 16;
    static final int TIMELINE_CAPACITY = 1000;
    /** Timeline records sent to a browser that just connected. */
    static final int TIMELINE_ON_CONNECT = 300;
    /** Spectrogram columns kept for the selected source: 320 x 64 ms = 20 s. */
    static final int SPECTROGRAM_COLUMNS = 320;
    static final int LATENCY_SAMPLES = 512;
    /** A source with levels is live while its levels keep coming (every 256 ms); scores alone come every hop. */
    static final long LIVE_WITH_LEVELS_MS = 3_000;
    static final long LIVE_WITHOUT_LEVELS_MS = 12_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private record Column(long seq, long startSample, int[] bands) {
    }

    private record TimelineEntry(long seq, SoundEvent event, long publishedMillis) {
    }

    private static final class Source {
        final String id;
        String streamId;
        long version;
        long lastSeenMillis = Long.MIN_VALUE;
        boolean hasLevels;
        double rmsDbfs = Double.NaN;
        double peakDbfs = Double.NaN;
        List<String> topLabels = List.of();
        double[] topScores = new double[0];
        final Map<String, String> openEvents = new LinkedHashMap<>(); // event id -> label
        long events;
        final ArrayDeque<Column> columns = new ArrayDeque<>();
        long columnSeq;
        double fminHz;
        double fmaxHz;

        Source(String id) {
            this.id = id;
        }
    }

    /** Where one browser is: what it was sent last. */
    static final class Cursor {
        final String selected;
        long version = -1;
        long timelineSeq = -1;
        long columnSeq = -1;
        long healthMillis = Long.MIN_VALUE;
        final Map<String, Boolean> live = new HashMap<>();

        Cursor(String selected) {
            this.selected = selected;
        }
    }

    private final LongSupplier clock;
    private final Map<String, Source> sources = new TreeMap<>();
    private final ArrayDeque<TimelineEntry> timeline = new ArrayDeque<>();
    private long version;
    private long timelineSeq;
    private final ArrayDeque<Long> startLatencies = new ArrayDeque<>();
    private final ArrayDeque<Long> endLatencies = new ArrayDeque<>();
    private final ArrayDeque<Long> levelLatencies = new ArrayDeque<>();
    private final Map<String, EnergyReport> lastEnergy = new TreeMap<>();
    private double energyJoules;
    private double energyAudioSeconds;
    private Long lagRecords;
    private String lagNote = "not read yet";
    private String model;
    private long badRecords;

    DashboardState(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    private Source source(String id) {
        return sources.computeIfAbsent(id, Source::new);
    }

    private void touch(Source s, long receivedMillis, long publishedMillis) {
        s.version = ++version;
        // Old records (history read at start) say nothing about whether a source is live now.
        if (receivedMillis - publishedMillis < LIVE_WITHOUT_LEVELS_MS) {
            s.lastSeenMillis = Math.max(s.lastSeenMillis, receivedMillis);
        }
    }

    synchronized void onEvent(SoundEvent e, long publishedMillis) {
        long now = clock.getAsLong();
        Source s = source(e.sourceId());
        s.streamId = e.streamId();
        if (e.state() == SoundEvent.State.START) {
            s.openEvents.put(e.eventId(), e.label());
            s.events++;
            addLatency(startLatencies, publishedMillis - e.onsetTimeMicros() / 1000);
        } else {
            s.openEvents.remove(e.eventId());
            if (e.offsetTimeMicros() != null) {
                addLatency(endLatencies, publishedMillis - e.offsetTimeMicros() / 1000);
            }
        }
        model = e.model() + (e.modelVersion() != null ? " " + e.modelVersion() : "");
        timeline.addLast(new TimelineEntry(++timelineSeq, e, publishedMillis));
        while (timeline.size() > TIMELINE_CAPACITY) {
            timeline.removeFirst();
        }
        touch(s, now, publishedMillis);
    }

    synchronized void onScores(FrameScores f, long publishedMillis) {
        long now = clock.getAsLong();
        Source s = source(f.sourceId());
        s.streamId = f.streamId();
        List<float[]> rows = f.scores();
        if (rows.isEmpty()) {
            return;
        }
        int n = f.labels().size();
        double[] mean = new double[n];
        int from = Math.max(0, rows.size() - TOP_K_FRAMES);
        for (int r = from; r < rows.size(); r++) {
            for (int c = 0; c < n; c++) {
                mean[c] += rows.get(r)[c];
            }
        }
        Integer[] order = new Integer[n];
        for (int c = 0; c < n; c++) {
            mean[c] /= rows.size() - from;
            order[c] = c;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer c) -> -mean[c]));
        int k = Math.min(TOP_K, n);
        List<String> labels = new ArrayList<>(k);
        double[] scores = new double[k];
        for (int i = 0; i < k; i++) {
            labels.add(f.labels().get(order[i]));
            scores[i] = mean[order[i]];
        }
        s.topLabels = labels;
        s.topScores = scores;
        if (f.model() != null) {
            model = f.model() + (f.modelVersion() != null ? " " + f.modelVersion() : "");
        }
        touch(s, now, publishedMillis);
    }

    synchronized void onLevels(SourceLevels l, long publishedMillis) {
        long now = clock.getAsLong();
        Source s = source(l.sourceId());
        if (!l.streamId().equals(s.streamId)) {
            s.columns.clear();
        }
        s.streamId = l.streamId();
        s.hasLevels = true;
        s.rmsDbfs = l.rmsDbfs();
        s.peakDbfs = l.peakDbfs();
        s.fminHz = l.fminHz();
        s.fmaxHz = l.fmaxHz();
        for (int k = 0; k < l.bandsDb().size(); k++) {
            s.columns.addLast(new Column(++s.columnSeq, l.startSample() + (long) k * l.columnHopSamples(), l.bandsDb().get(k)));
        }
        while (s.columns.size() > SPECTROGRAM_COLUMNS) {
            s.columns.removeFirst();
        }
        long audioEndMillis = (l.startTimeMicros() + (l.endSample() - l.startSample()) * 1_000_000L / l.sampleRate()) / 1000;
        addLatency(levelLatencies, publishedMillis - audioEndMillis);
        touch(s, now, publishedMillis);
    }

    synchronized void onEnergy(EnergyReport r) {
        lastEnergy.put(r.instanceId(), r);
        energyJoules += r.joules();
        energyAudioSeconds += r.audioSeconds();
        version++;
    }

    synchronized void onLag(Long records, String note) {
        lagRecords = records;
        lagNote = note;
    }

    synchronized void onBadRecord() {
        badRecords++;
    }

    private static void addLatency(ArrayDeque<Long> window, long millis) {
        window.addLast(millis);
        while (window.size() > LATENCY_SAMPLES) {
            window.removeFirst();
        }
    }

    private boolean live(Source s, long now) {
        long limit = s.hasLevels ? LIVE_WITH_LEVELS_MS : LIVE_WITHOUT_LEVELS_MS;
        return s.lastSeenMillis != Long.MIN_VALUE && now - s.lastSeenMillis <= limit;
    }

    /**
     * What changed for this browser since its last update, as one JSON object, or null when nothing did:
     * {@code sources} (changed ones, or those whose live state flipped), {@code events} (new timeline
     * records), {@code spectrogram} (new columns of the selected source) and {@code health} (at most once a
     * second). The first update of a cursor carries everything.
     */
    synchronized ObjectNode update(Cursor c) {
        long now = clock.getAsLong();
        ObjectNode out = JSON.objectNode();
        ArrayNode changed = JSON.arrayNode();
        for (Source s : sources.values()) {
            boolean live = live(s, now);
            Boolean before = c.live.get(s.id);
            if (s.version > c.version || before == null || before != live) {
                changed.add(sourceJson(s, live));
                c.live.put(s.id, live);
            }
        }
        if (!changed.isEmpty()) {
            out.set("sources", changed);
        }
        ArrayNode events = JSON.arrayNode();
        long firstNew = c.timelineSeq < 0 ? timelineSeq - TIMELINE_ON_CONNECT : c.timelineSeq;
        for (TimelineEntry t : timeline) {
            if (t.seq() > firstNew) {
                events.add(eventJson(t));
            }
        }
        c.timelineSeq = timelineSeq;
        if (!events.isEmpty()) {
            out.set("events", events);
        }
        Source selected = c.selected == null ? null : sources.get(c.selected);
        if (selected != null && selected.columnSeq > c.columnSeq) {
            ObjectNode spec = JSON.objectNode();
            spec.put("source", selected.id);
            spec.put("fmin_hz", selected.fminHz);
            spec.put("fmax_hz", selected.fmaxHz);
            ArrayNode cols = spec.putArray("columns");
            for (Column col : selected.columns) {
                if (col.seq() > c.columnSeq) {
                    ArrayNode row = cols.addArray();
                    for (int v : col.bands()) {
                        row.add(v);
                    }
                }
            }
            c.columnSeq = selected.columnSeq;
            out.set("spectrogram", spec);
        }
        if (c.healthMillis == Long.MIN_VALUE || now - c.healthMillis >= 1000) {
            out.set("health", healthJson(now));
            c.healthMillis = now;
        }
        c.version = version;
        return out.isEmpty() ? null : out;
    }

    /** Everything, as one JSON object (for /api/state). */
    synchronized ObjectNode snapshot() {
        long now = clock.getAsLong();
        ObjectNode out = JSON.objectNode();
        ArrayNode all = out.putArray("sources");
        for (Source s : sources.values()) {
            all.add(sourceJson(s, live(s, now)));
        }
        ArrayNode events = out.putArray("events");
        for (TimelineEntry t : timeline) {
            events.add(eventJson(t));
        }
        out.set("health", healthJson(now));
        return out;
    }

    private ObjectNode sourceJson(Source s, boolean live) {
        ObjectNode o = JSON.objectNode();
        o.put("id", s.id);
        o.put("stream", s.streamId);
        o.put("live", live);
        if (!Double.isNaN(s.rmsDbfs)) {
            o.put("rms_dbfs", s.rmsDbfs);
            o.put("peak_dbfs", s.peakDbfs);
        }
        ArrayNode top = o.putArray("top");
        for (int i = 0; i < s.topLabels.size(); i++) {
            ArrayNode pair = top.addArray();
            pair.add(s.topLabels.get(i));
            pair.add(Math.round(s.topScores[i] * 1000) / 1000.0);
        }
        ArrayNode active = o.putArray("active");
        s.openEvents.values().stream().distinct().forEach(active::add);
        o.put("events", s.events);
        return o;
    }

    private static ObjectNode eventJson(TimelineEntry t) {
        SoundEvent e = t.event();
        ObjectNode o = JSON.objectNode();
        o.put("seq", t.seq());
        o.put("id", e.eventId());
        o.put("source", e.sourceId());
        o.put("label", e.label());
        o.put("state", e.state() == SoundEvent.State.START ? "start" : "end");
        o.put("confidence", Math.round(e.confidence() * 1000) / 1000.0);
        o.put("onset_ms", e.onsetTimeMicros() / 1000);
        if (e.offsetTimeMicros() != null) {
            o.put("offset_ms", e.offsetTimeMicros() / 1000);
        }
        o.put("onset_s", e.onsetSec());
        o.put("published_ms", t.publishedMillis());
        return o;
    }

    private ObjectNode healthJson(long now) {
        ObjectNode h = JSON.objectNode();
        h.put("now_ms", now);
        int live = 0;
        for (Source s : sources.values()) {
            if (live(s, now)) {
                live++;
            }
        }
        h.put("sources", sources.size());
        h.put("live_sources", live);
        if (lagRecords != null) {
            h.put("lag_records", lagRecords);
        }
        h.put("lag_note", lagNote);
        latency(h, "start_latency_ms", startLatencies);
        latency(h, "end_latency_ms", endLatencies);
        latency(h, "audio_latency_ms", levelLatencies);
        if (energyAudioSeconds > 0) {
            h.put("joules_per_audio_hour", Math.round(energyJoules / (energyAudioSeconds / 3600.0)));
        }
        h.put("energy_joules", Math.round(energyJoules * 10) / 10.0);
        h.put("energy_audio_s", Math.round(energyAudioSeconds * 10) / 10.0);
        Iterator<EnergyReport> it = lastEnergy.values().iterator();
        if (it.hasNext()) {
            h.put("energy_method", it.next().method());
        }
        h.put("detector_instances", lastEnergy.size());
        if (model != null) {
            h.put("model", model);
        }
        h.put("bad_records", badRecords);
        return h;
    }

    /** p50 and max of a latency window, in ms, under {@code name}; nothing when empty. */
    private static void latency(ObjectNode h, String name, ArrayDeque<Long> window) {
        if (window.isEmpty()) {
            return;
        }
        long[] v = window.stream().mapToLong(Long::longValue).sorted().toArray();
        ObjectNode o = h.putObject(name);
        o.put("p50", v[v.length / 2]);
        o.put("max", v[v.length - 1]);
        o.put("n", v.length);
    }
}
