package io.earshot.detector.topology;

import io.earshot.detector.DetectorMetrics;
import io.earshot.detector.inference.BatchingInferenceExecutor;
import io.earshot.protocol.JsonSerde;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The detector topology: {@code audio} (raw bytes, key = source id) → {@link AudioProcessor} with three
 * persistent, changelogged state stores → {@code events}, {@code scores} and {@code audio.dlq}.
 *
 * <p>The audio values are consumed as raw bytes and decoded with the wire codec inside the processor,
 * so a record that fails to decode reaches the dead-letter topic byte for byte.
 */
public final class DetectorTopology {

    /** Per source: stream id, sample position, framer snapshot, windows applied ({@code SourceStream}). */
    public static final String STREAMS_STORE = "earshot-detector-streams";
    /** Per source and frame segment: the log-mel frames windows still need ({@code FrameStore}). */
    public static final String FRAMES_STORE = "earshot-detector-frames";
    /** Per source: overlap sums and decoder snapshots ({@code DecodeProgress}). */
    public static final String DECODE_STORE = "earshot-detector-decode";

    public static final String SOURCE = "audio";
    public static final String PROCESSOR = "detector";
    static final String EVENTS_SINK = "events";
    static final String SCORES_SINK = "scores";
    static final String DLQ_SINK = "audio-dlq";

    /** DLQ header with the reason code (malformed, unknown_version, unsupported_format, back_in_time, processing_failed). */
    public static final String DLQ_REASON_HEADER = "earshot.dlq.reason";
    /** DLQ header with a human-readable explanation naming the offending field or index. */
    public static final String DLQ_DETAIL_HEADER = "earshot.dlq.detail";
    /** DLQ header with topic-partition@offset of the original record. */
    public static final String DLQ_ORIGIN_HEADER = "earshot.dlq.origin";

    private DetectorTopology() {
    }

    public static Topology build(DetectionSettings settings, BatchingInferenceExecutor executor, DetectorMetrics metrics,
                                 LongSupplier nowMicros) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                settings.topics().audio());
        topology.addProcessor(PROCESSOR, () -> new AudioProcessor(settings, executor, metrics, nowMicros), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STREAMS_STORE),
                Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FRAMES_STORE),
                Serdes.Bytes(), Serdes.ByteArray()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECODE_STORE),
                Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addSink(EVENTS_SINK, settings.topics().events(), Serdes.String().serializer(),
                JsonSerde.soundEvents().serializer(), PROCESSOR);
        topology.addSink(SCORES_SINK, settings.topics().scores(), Serdes.String().serializer(),
                JsonSerde.frameScores().serializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, settings.topics().audioDlq(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), PROCESSOR);
        return topology;
    }
}
