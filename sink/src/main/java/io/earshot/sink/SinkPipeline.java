package io.earshot.sink;

import io.earshot.protocol.EnergyReport;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.SourceLevels;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes consumed records to the configured outputs. Knows nothing of Kafka beyond topic names:
 * the service feeds it values and flushes it before committing offsets.
 *
 * <p>A record that cannot be used (not JSON, missing fields, labels that do not match a table) is
 * logged with its position, counted as rejected and skipped; an I/O failure of an output is thrown,
 * since continuing would commit offsets for records that were never written.
 */
final class SinkPipeline implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkPipeline.class);

    private final SinkConfig config;
    private final PrintWriter console;
    private final SinkMetrics metrics;
    private final List<EventOutput> eventOutputs = new ArrayList<>();
    private final ScoreTableOutput scores;
    /** The MQTT bridge, also fed the levels topic for its level sensors; null without --mqtt. */
    private final MqttEventOutput mqtt;
    private final JsonSerde<SourceLevels> levelsSerde = JsonSerde.sourceLevels();
    private final EnergyTotals energy = new EnergyTotals();
    private final JsonSerde<SoundEvent> eventSerde = JsonSerde.soundEvents();
    private final JsonSerde<FrameScores> scoreSerde = JsonSerde.frameScores();
    private final JsonSerde<EnergyReport> energySerde = JsonSerde.energyReports();
    private final Map<String, Long> skippedInBatch = new LinkedHashMap<>();

    SinkPipeline(SinkConfig config, PrintWriter console, SinkMetrics metrics) throws IOException {
        this.config = config;
        this.console = console;
        this.metrics = metrics;
        ScoreTableOutput scoreTables = null;
        MqttEventOutput mqttOutput = null;
        try {
            if (config.console()) {
                eventOutputs.add(new ConsoleEventOutput(console));
            }
            if (config.jsonl() != null) {
                eventOutputs.add(new JsonLinesEventOutput(config.jsonl()));
            }
            if (config.tsv() != null) {
                eventOutputs.add(new DcaseTsvEventOutput(config.tsv()));
            }
            if (config.mqtt() != null) {
                mqttOutput = new MqttEventOutput(config.mqtt(), new MqttMetrics(metrics.registry()));
                eventOutputs.add(mqttOutput);
            }
            if (config.scoresDir() != null) {
                scoreTables = new ScoreTableOutput(config.scoresDir());
            }
        } catch (IOException | RuntimeException e) {
            closeEventOutputs();
            throw e;
        }
        this.scores = scoreTables;
        this.mqtt = mqttOutput;
        if (config.energy()) {
            metrics.energy(energy);
        }
    }

    /** The topics this pipeline needs. */
    List<String> topics() {
        List<String> topics = new ArrayList<>(List.of(config.topics().events()));
        if (scores != null) {
            topics.add(config.topics().scores());
        }
        if (config.energy()) {
            topics.add(config.topics().energy());
        }
        if (mqtt != null) {
            // Optional: a detector run with --no-levels never creates it, and the bridge then has no level sensors.
            topics.add(config.topics().levels());
        }
        return topics;
    }

    EnergyTotals energyTotals() {
        return energy;
    }

    /**
     * Handles one record value.
     *
     * @param where the record's position, for log lines (topic-partition@offset)
     */
    void process(String topic, byte[] value, String where) throws IOException {
        metrics.record(topic);
        if (value == null) {
            reject(topic, "null_value", where, "record has no value");
            return;
        }
        try {
            if (topic.equals(config.topics().events())) {
                onEvent(eventSerde.fromBytes(value));
            } else if (topic.equals(config.topics().scores())) {
                onScores(scoreSerde.fromBytes(value));
            } else if (topic.equals(config.topics().energy())) {
                onEnergy(energySerde.fromBytes(value));
            } else if (topic.equals(config.topics().levels())) {
                onLevels(levelsSerde.fromBytes(value));
            }
        } catch (org.apache.kafka.common.errors.SerializationException e) {
            // Syntax errors are not JSON at all; mapping errors are JSON of the wrong shape.
            boolean syntax = e.getCause() instanceof com.fasterxml.jackson.core.JsonParseException
                    || e.getCause() instanceof com.fasterxml.jackson.core.io.JsonEOFException;
            reject(topic, syntax ? "invalid_json" : "invalid_record", where, e.getMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            reject(topic, "invalid_record", where, e.getMessage());
        }
    }

    private void reject(String topic, String reason, String where, String detail) {
        metrics.rejected(topic, reason);
        LOG.warn("skipping record {}: {} ({})", where, reason, detail);
    }

    private void onEvent(SoundEvent event) throws IOException {
        String state = event.state() == SoundEvent.State.END ? "end" : "start";
        metrics.event(event.label(), state);
        for (EventOutput out : eventOutputs) {
            switch (out.accept(event)) {
                case WRITTEN -> metrics.written(out.name(), 1);
                case DUPLICATE -> skipped(out.name(), 1, () -> "event " + event.eventId() + " (" + state + ", source "
                        + event.sourceId() + ", stream " + event.streamId() + ", " + event.label() + " at "
                        + event.onsetSec() + " s)");
                case IGNORED -> { }
            }
        }
    }

    private void onScores(FrameScores block) throws IOException {
        if (scores == null) {
            return;
        }
        int rows = scores.accept(block);
        metrics.written("scores", rows);
        int skipped = block.scores().size() - rows;
        if (skipped > 0) {
            skipped("scores", skipped, () -> skipped + " of " + block.scores().size() + " frames from frame "
                    + block.firstFrameIndex() + " (source " + block.sourceId() + ", stream " + block.streamId() + ")");
        }
    }

    /**
     * Counts and logs rows an output skipped because it already holds them: each at DEBUG (a sink that
     * re-reads a topic skips thousands), and a summary per output at INFO when the batch is committed.
     */
    private void skipped(String output, int rows, java.util.function.Supplier<String> what) {
        metrics.skipped(output, "duplicate", rows);
        skippedInBatch.merge(output, (long) rows, Long::sum);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: skipped as already written: {}", output, what.get());
        }
    }

    private void logSkipped() {
        skippedInBatch.forEach((output, rows) -> LOG.info("{}: skipped {} row(s) already written (duplicates; "
                + "earshot_sink_output_skipped_total; each row at DEBUG)", output, rows));
        skippedInBatch.clear();
    }

    private void onLevels(SourceLevels levels) {
        if (mqtt == null) {
            return;
        }
        if (levels.sampleRate() <= 0) {
            throw new IllegalArgumentException("levels of " + levels.sourceId() + " have sample rate " + levels.sampleRate());
        }
        mqtt.acceptLevel(levels.sourceId(), levels.startTimeMicros(),
                (levels.endSample() - levels.startSample()) / (double) levels.sampleRate(), levels.rmsDbfs(),
                levels.peakDbfs());
    }

    private void onEnergy(EnergyReport report) {
        if (!energy.add(report)) {
            return;
        }
        EnergyTotals.Summary t = energy.total();
        double seconds = (report.intervalEndMicros() - report.intervalStartMicros()) / 1e6;
        console.println(String.format(Locale.ROOT,
                "energy  %s  +%.3f J in %.1f s (%s), %.1f s audio  |  total %.3e kWh, %.3e kWh per audio hour,"
                        + " %.3f gCO2e, %d instance(s)",
                report.instanceId(), report.joules(), seconds, report.method(), report.audioSeconds(), t.kwh(),
                t.kwhPerAudioHour(), t.gramsCo2e(), t.instances()));
    }

    /**
     * Forces every output to disk ({@code FileChannel.force}); called before the consumer commits, so a
     * committed offset never stands for a row that a crash of the process or the machine could lose.
     */
    void flush() throws IOException {
        for (EventOutput out : eventOutputs) {
            out.force();
        }
        if (scores != null) {
            scores.force();
        }
        console.flush();
        logSkipped();
    }

    /** From another thread: the sink is stopping; outputs waiting on an external system give up. */
    void abandon() {
        for (EventOutput out : eventOutputs) {
            out.abandon();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            closeQuietly();
        }
    }

    private void closeEventOutputs() {
        for (EventOutput out : eventOutputs) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("closing {} output failed: {}", out.name(), e.toString());
            }
        }
    }

    private void closeQuietly() {
        closeEventOutputs();
        if (scores != null) {
            try {
                scores.close();
            } catch (IOException e) {
                LOG.warn("closing score tables failed: {}", e.toString());
            }
        }
    }
}
