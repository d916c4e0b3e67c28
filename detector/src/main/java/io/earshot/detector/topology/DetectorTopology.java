package io.earshot.detector.topology;

import io.earshot.detector.DetectorMetrics;
import io.earshot.detector.inference.BatchingInferenceExecutor;
import io.earshot.detector.inference.StreamBlock;
import io.earshot.detector.inference.StreamBlockOutput;
import io.earshot.protocol.JsonSerde;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The detector topology: {@code audio} (raw bytes, key = source id) → {@link AudioProcessor} with its
 * persistent, changelogged state stores (declared by {@link AudioProcessorSupplier}) → {@code events},
 * {@code scores} and {@code audio.dlq}.
 *
 * <p>The audio values are consumed as raw bytes and decoded with the wire codec inside the processor,
 * so a record that fails to decode reaches the dead-letter topic byte for byte.
 */
public final class DetectorTopology {

    /** Per source: stream id, sample position, framer snapshot, windows or blocks applied ({@code SourceStream}). */
    public static final String STREAMS_STORE = "earshot-detector-streams";
    /** Streaming mode, per source: the model's carried state and decoder snapshots ({@code ModelProgress}). */
    public static final String MODEL_STATE_STORE = "earshot-detector-model-state";
    /** Windowed mode, per source and frame segment: the log-mel frames windows still need ({@code FrameStore}). */
    public static final String FRAMES_STORE = "earshot-detector-frames";
    /** Windowed mode, per source: overlap sums and decoder snapshots ({@code DecodeProgress}). */
    public static final String DECODE_STORE = "earshot-detector-decode";

    public static final String SOURCE = "audio";
    public static final String PROCESSOR = "detector";
    static final String EVENTS_SINK = "events";
    static final String SCORES_SINK = "scores";
    static final String DLQ_SINK = "audio-dlq";

    /** DLQ header with the reason code (malformed, unknown_version, unsupported_format, back_in_time, processing_failed, inference_failed). */
    public static final String DLQ_REASON_HEADER = "earshot.dlq.reason";
    /** DLQ header with a human-readable explanation naming the offending field or index. */
    public static final String DLQ_DETAIL_HEADER = "earshot.dlq.detail";
    /** DLQ header with topic-partition@offset of the original record. */
    public static final String DLQ_ORIGIN_HEADER = "earshot.dlq.origin";
    /** DLQ header of an inference_failed record: the stream id. */
    public static final String DLQ_STREAM_HEADER = "earshot.dlq.stream";
    /** DLQ header of an inference_failed record: the samples the window or block covers, {@code first-end}. */
    public static final String DLQ_SAMPLES_HEADER = "earshot.dlq.samples";

    private DetectorTopology() {
    }

    /** The topology of a windowed model. */
    public static Topology windowed(DetectionSettings settings, BatchingInferenceExecutor<float[][], float[][]> executor,
                                    DetectorMetrics metrics, LongSupplier nowMicros, BrokerContact broker) {
        return build(settings, AudioProcessorSupplier.windowed(settings, executor, metrics, nowMicros, broker));
    }

    /** The topology of a streaming model. */
    public static Topology streaming(DetectionSettings settings,
                                     BatchingInferenceExecutor<StreamBlock, StreamBlockOutput> executor,
                                     DetectorMetrics metrics, LongSupplier nowMicros, BrokerContact broker) {
        return build(settings, AudioProcessorSupplier.streaming(settings, executor, metrics, nowMicros, broker));
    }

    private static Topology build(DetectionSettings settings, AudioProcessorSupplier processor) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                settings.topics().audio());
        // the supplier declares the stores (ProcessorSupplier#stores), so they are connected to it here
        topology.addProcessor(PROCESSOR, processor, SOURCE);
        topology.addSink(EVENTS_SINK, settings.topics().events(), Serdes.String().serializer(),
                JsonSerde.soundEvents().serializer(), PROCESSOR);
        topology.addSink(SCORES_SINK, settings.topics().scores(), Serdes.String().serializer(),
                JsonSerde.frameScores().serializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, settings.topics().audioDlq(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), PROCESSOR);
        return topology;
    }
}
