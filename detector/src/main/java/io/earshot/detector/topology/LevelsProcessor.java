package io.earshot.detector.topology;

import io.earshot.dsp.levels.LevelMeter;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkCodec;
import io.earshot.protocol.DecodeResult;
import io.earshot.protocol.SourceLevels;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Publishes one {@link SourceLevels} record per source and 256 ms of audio (4096 samples at 16 kHz), each
 * with four 64-ms spectrogram columns of 32 mel bands.
 *
 * <p>Its meters live in memory only: levels are for people watching now, so a restart (or a rebalance)
 * simply starts each source's meter at its next interval boundary instead of keeping state in Kafka.
 * Chunks the detection processor rejects (undecodable, another sample rate, back in time, duplicates)
 * are skipped here without a word; the detection processor dead-letters or counts them.
 */
final class LevelsProcessor implements Processor<String, byte[], String, SourceLevels> {

    static final int INTERVAL_SAMPLES = 4096;
    static final int COLUMN_SAMPLES = 1024;
    static final int BANDS = 32;
    static final double FMIN_HZ = 50;
    static final double FMAX_HZ = 8000;
    /** Meters kept before the least recently fed ones are dropped (a source that comes back starts a new one). */
    static final int MAX_SOURCES = 10_000;

    private record Meter(String streamId, long captureTimeMicrosOfSampleZero, LevelMeter meter) {
    }

    private final int sampleRate;
    private final Map<String, Meter> meters = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Meter> eldest) {
            return size() > MAX_SOURCES;
        }
    };
    private ProcessorContext<String, SourceLevels> context;

    LevelsProcessor(int sampleRate) {
        this.sampleRate = sampleRate;
    }

    @Override
    public void init(ProcessorContext<String, SourceLevels> context) {
        this.context = context;
        meters.clear();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String source = record.key();
        if (source == null || source.isEmpty()
                || !(AudioChunkCodec.decode(record.value()) instanceof DecodeResult.Decoded decoded)) {
            return;
        }
        AudioChunk chunk = decoded.chunk();
        if (chunk.sampleRate() != sampleRate) {
            return;
        }
        if (chunk.frameCount() > 0) {
            measure(source, chunk);
        }
        if (chunk.endOfStream()) {
            meters.remove(source);
        }
    }

    private void measure(String source, AudioChunk chunk) {
        Meter m = meters.get(source);
        boolean sameStream = m != null && chunk.streamId().equals(m.streamId());
        if (sameStream && chunk.firstSampleIndex() < m.meter().nextSample()) {
            return; // a duplicate or a chunk back in time: not analysed by the detector either
        }
        if (!sameStream || chunk.firstSampleIndex() != m.meter().nextSample()) {
            m = new Meter(chunk.streamId(), chunk.captureTimeMicrosOfSampleZero(), new LevelMeter(sampleRate,
                    INTERVAL_SAMPLES, COLUMN_SAMPLES, BANDS, FMIN_HZ, Math.min(FMAX_HZ, sampleRate / 2.0)));
            meters.put(source, m);
        }
        long ts = Instant.now().toEpochMilli();
        for (LevelMeter.Interval iv : m.meter().push(chunk.firstSampleIndex(), chunk.toMonoFloats())) {
            long startMicros = m.captureTimeMicrosOfSampleZero() + iv.startSample() * 1_000_000L / sampleRate;
            SourceLevels levels = new SourceLevels(source, m.streamId(), sampleRate, iv.startSample(), iv.endSample(),
                    startMicros, iv.rmsDbfs(), iv.peakDbfs(), COLUMN_SAMPLES, FMIN_HZ, m.meter().spec().fmax(),
                    Arrays.asList(iv.columns()));
            context.forward(new Record<>(source, levels, ts));
        }
    }
}
