package io.earshot.detector.topology;

import io.earshot.detector.DetectorMetrics;
import io.earshot.detector.inference.BatchingInferenceExecutor;
import io.earshot.detector.inference.StreamBlock;
import io.earshot.detector.inference.StreamBlockOutput;
import io.earshot.detector.state.DecodeProgress;
import io.earshot.detector.state.ModelProgress;
import io.earshot.detector.state.SourceStream;
import io.earshot.detector.state.StateSerde;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Makes the detector's processors and declares the persistent, changelogged stores they use, with
 * their serdes: the per-source stream store for every model, plus the frame and decode stores of the
 * windowed mode or the model-state store of the streaming mode.
 */
final class AudioProcessorSupplier implements ProcessorSupplier<String, byte[], String, Object> {

    private final DetectionSettings settings;
    private final Supplier<Analysis> analysis;
    private final DetectorMetrics metrics;
    private final LongSupplier nowMicros;
    private final BrokerContact broker;

    private AudioProcessorSupplier(DetectionSettings settings, Supplier<Analysis> analysis, DetectorMetrics metrics,
                                   LongSupplier nowMicros, BrokerContact broker) {
        this.settings = settings;
        this.analysis = analysis;
        this.metrics = metrics;
        this.nowMicros = nowMicros;
        this.broker = broker;
    }

    static AudioProcessorSupplier windowed(DetectionSettings settings, BatchingInferenceExecutor<float[][], float[][]> executor,
                                           DetectorMetrics metrics, LongSupplier nowMicros, BrokerContact broker) {
        if (settings.streaming()) {
            throw new IllegalArgumentException("model " + settings.manifest().source() + " is a streaming model");
        }
        return new AudioProcessorSupplier(settings, () -> new WindowedAnalysis(settings, executor), metrics, nowMicros, broker);
    }

    static AudioProcessorSupplier streaming(DetectionSettings settings,
                                            BatchingInferenceExecutor<StreamBlock, StreamBlockOutput> executor,
                                            DetectorMetrics metrics, LongSupplier nowMicros, BrokerContact broker) {
        if (!settings.streaming()) {
            throw new IllegalArgumentException("model " + settings.manifest().source() + " is not a streaming model");
        }
        return new AudioProcessorSupplier(settings, () -> new StreamingAnalysis(settings, executor), metrics, nowMicros, broker);
    }

    @Override
    public Processor<String, byte[], String, Object> get() {
        return new AudioProcessor(settings, analysis.get(), metrics, nowMicros, broker);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        // Cached: a source's record is rewritten with every chunk (and its model state with every block), so
        // between two commits only the last value of each key goes to RocksDB and the changelog.
        StoreBuilder<?> streams = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DetectorTopology.STREAMS_STORE),
                Serdes.String(), new StateSerde<>(SourceStream::toBytes, SourceStream::fromBytes)).withCachingEnabled();
        if (settings.streaming()) {
            return Set.of(streams, Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(DetectorTopology.MODEL_STATE_STORE), Serdes.String(),
                    new StateSerde<>(ModelProgress::toBytes, ModelProgress::fromBytes)).withCachingEnabled());
        }
        return Set.of(streams,
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DetectorTopology.FRAMES_STORE),
                        Serdes.Bytes(), Serdes.ByteArray()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DetectorTopology.DECODE_STORE),
                        Serdes.String(), new StateSerde<>(DecodeProgress::toBytes, DecodeProgress::fromBytes)));
    }
}
