package io.earshot.detector.topology;

import io.earshot.detector.DetectorMetrics;
import io.earshot.detector.DlqReason;
import io.earshot.detector.scoring.LabelTransition;
import io.earshot.detector.scoring.ScoredBlock;
import io.earshot.detector.state.SourceStream;
import io.earshot.dsp.features.FramerState;
import io.earshot.dsp.features.LogMelExtractor;
import io.earshot.dsp.features.LogMelFrame;
import io.earshot.dsp.features.LogMelSpec;
import io.earshot.dsp.features.StreamingFramer;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkCodec;
import io.earshot.protocol.DecodeResult;
import io.earshot.protocol.SoundEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector's stream processor (one instance per task). Each audio record is decoded, admitted
 * against where its source's stream stands, framed into log-mel frames and handed to the model's
 * {@link Analysis} (windowed or streaming), which infers on the shared batching executor; a short
 * wall-clock punctuation collects finished inference, decodes events and publishes them. A second
 * punctuation closes the segment of a source that sent nothing for the idle time.
 *
 * <p>Nothing here stops the application for one source's trouble: a bad record, a chunk whose
 * processing fails, or a window or block whose inference fails goes to the dead-letter topic with its
 * reason, and the source goes on.
 */
final class AudioProcessor implements Processor<String, byte[], String, Object>, SegmentOutput {

    private static final Logger LOG = LoggerFactory.getLogger(AudioProcessor.class);
    private static final int MAX_SOURCE_ID_BYTES = 1024;
    static final int MAX_SCORE_FRAMES_PER_RECORD = 256;

    private final DetectionSettings settings;
    private final Analysis analysis;
    private final DetectorMetrics metrics;
    private final LongSupplier nowMicros;
    private final BrokerContact broker;
    private final LogMelSpec spec;
    private final EventRecords records;
    private final String settingsKey;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, SourceStream> streams;
    /** Live framers by source, so a chunk does not rebuild its framer; the store holds their snapshots. */
    private final Map<String, StreamingFramer> framers = new HashMap<>();
    /**
     * One extractor for all of this processor's framers (they run on its thread only) instead of one per
     * source: about 40 KB less heap per source (window, FFT tables, filters, scratch). Not measurably
     * faster (LogMelCpuTimeBench with 300 sources: shared / per-source 1.03x and 1.12x in two runs, within
     * its noise).
     */
    private final LogMelExtractor extractor;
    /** Wall-clock time (ms) of the last chunk of every source whose segment is open, oldest first. */
    private final LinkedHashMap<String, Long> lastHeard = new LinkedHashMap<>(16, 0.75f, true);

    AudioProcessor(DetectionSettings settings, Analysis analysis, DetectorMetrics metrics, LongSupplier nowMicros,
                   BrokerContact broker) {
        this.broker = broker;
        this.settings = settings;
        this.analysis = analysis;
        this.metrics = metrics;
        this.nowMicros = nowMicros;
        this.spec = settings.manifest().features();
        this.extractor = new LogMelExtractor(spec);
        this.records = new EventRecords(settings.manifest());
        this.settingsKey = settings.stateKey();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.streams = context.getStateStore(DetectorTopology.STREAMS_STORE);
        framers.clear();
        lastHeard.clear();
        analysis.init(context, streams, this);
        long now = context.currentSystemTimeMs();
        // Work that was ready but not published before a restart is submitted again; open sources get a
        // fresh idle period (the time they were silent while the detector was down is not known here).
        try (KeyValueIterator<String, SourceStream> it = streams.all()) {
            while (it.hasNext()) {
                KeyValue<String, SourceStream> kv = it.next();
                SourceStream s = kv.value;
                if (s.open() && !s.compatibleWith(settingsKey)) {
                    // Read with these settings, the open stream's state would be misread (a smaller hop looks
                    // for frames already deleted): stop here, with the remedy.
                    throw new IncompatibleStateException(kv.key, context.applicationId(), s.settingsKey(), settingsKey);
                }
                if (s.open()) {
                    analysis.resume(kv.key, s);
                    lastHeard.put(kv.key, now);
                }
            }
        }
        context.schedule(settings.applyInterval(), PunctuationType.WALL_CLOCK_TIME, t -> analysis.applyFinished(false));
        context.schedule(settings.idleCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::closeIdleSources);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String source = record.key();
        if (source == null || source.isEmpty()) {
            deadLetter(record, DlqReason.MALFORMED, "audio record has no source id (the record key is empty)");
            return;
        }
        if (source.getBytes(StandardCharsets.UTF_8).length > MAX_SOURCE_ID_BYTES) {
            deadLetter(record, DlqReason.MALFORMED, "source id is longer than " + MAX_SOURCE_ID_BYTES + " bytes");
            return;
        }
        DecodeResult result = AudioChunkCodec.decode(record.value());
        if (result instanceof DecodeResult.Rejected rejected) {
            DlqReason reason = rejected.reason().startsWith("unsupported wire format version")
                    ? DlqReason.UNKNOWN_VERSION : DlqReason.MALFORMED;
            deadLetter(record, reason, rejected.reason());
            return;
        }
        AudioChunk chunk = ((DecodeResult.Decoded) result).chunk();
        try {
            SourceStream admitted = admit(source, chunk, record);
            if (admitted != null) {
                SourceStream s = frame(source, admitted, chunk);
                if (chunk.endOfStream()) {
                    s = analysis.endSegment(source, s, SoundEvent.EndReason.END_OF_STREAM).closed(SourceStream.Status.ENDED,
                            chunk.sequence());
                    forget(source);
                } else {
                    lastHeard.put(source, context.currentSystemTimeMs());
                }
                streams.put(source, s);
            }
            if (analysis.overloaded()) {
                analysis.applyFinished(true);
            }
        } catch (RuntimeException e) {
            // A defect must not stop every other source: this chunk is set aside with the error.
            LOG.error("processing chunk {} of stream {} from source {} failed", chunk.sequence(), chunk.streamId(), source, e);
            framers.remove(source);
            deadLetter(record, DlqReason.PROCESSING_FAILED, e.toString());
        }
    }

    /**
     * Where the chunk goes, given its source's stream: the stream state to frame it into (a new segment
     * when it starts one, after closing the old), or null when it is dropped or dead-lettered.
     */
    private SourceStream admit(String source, AudioChunk chunk, Record<String, byte[]> record) {
        SourceStream current = streams.get(source);
        switch (Admission.of(chunk, current, spec.sampleRate())) {
            case UNSUPPORTED_FORMAT -> {
                deadLetter(record, DlqReason.UNSUPPORTED_FORMAT, "stream " + chunk.streamId() + " has sample rate "
                        + chunk.sampleRate() + " Hz; the model needs " + spec.sampleRate() + " Hz (resample at ingest)");
                return null;
            }
            case BACK_IN_TIME -> {
                deadLetter(record, DlqReason.BACK_IN_TIME, "chunk " + chunk.sequence() + " of stream " + chunk.streamId()
                        + " covers samples [" + chunk.firstSampleIndex() + ", " + chunk.endSampleIndex()
                        + ") but the stream already reached sample " + current.nextExpectedSample()
                        + " at sequence " + current.lastSequence());
                return null;
            }
            case DUPLICATE -> {
                metrics.duplicate();
                return null;
            }
            case NEW_STREAM -> {
                if (current != null && current.open()) {
                    analysis.endSegment(source, current, SoundEvent.EndReason.NEW_STREAM);
                }
                return newSegment(source, chunk, null);
            }
            case GAP -> {
                metrics.gap();
                if (current.open()) {
                    analysis.endSegment(source, current, SoundEvent.EndReason.GAP);
                }
                return newSegment(source, chunk, current);
            }
            case RESUME -> {
                // an idle source sends again where it stopped: a new segment of the same stream
                return newSegment(source, chunk, current);
            }
            default -> {
                return current;     // CONTINUE, the common case
            }
        }
    }

    private SourceStream newSegment(String source, AudioChunk chunk, SourceStream sameStream) {
        framers.remove(source);
        analysis.startSegment(source);
        long lastSequence = sameStream == null ? Long.MIN_VALUE : sameStream.lastSequence();
        long origin = settings.alignedOriginAtOrAfter(chunk.firstSampleIndex());
        return SourceStream.segment(chunk.streamId(), chunk.sampleRate(), chunk.captureTimeMicrosOfSampleZero(),
                chunk.firstSampleIndex(), lastSequence, origin, spec.nMels(), settingsKey);
    }

    /** Turns the chunk's samples into log-mel frames and hands them to the analysis. */
    private SourceStream frame(String source, SourceStream s, AudioChunk chunk) {
        FramerState framerState = s.framer();
        long first = chunk.firstSampleIndex();
        List<LogMelFrame> made = List.of();
        if (chunk.frameCount() > 0) {
            float[] samples = chunk.toMonoFloats();
            // A segment starts on the output-frame grid; samples before its first frame are not analysed.
            long segmentStart = spec.frameStartSample(s.originFrame());
            int skip = (int) Math.min(samples.length, Math.max(0, segmentStart - first));
            if (skip < samples.length) {
                StreamingFramer framer = framers.get(source);
                if (framer == null) {
                    framer = framerState.started() ? StreamingFramer.restore(spec, framerState, extractor)
                            : new StreamingFramer(spec, extractor);
                    framers.put(source, framer);
                }
                float[] part = skip == 0 ? samples : Arrays.copyOfRange(samples, skip, samples.length);
                made = framer.push(first + skip, part);
                framerState = framer.snapshot();
                metrics.audio(source, part.length, s.sampleRate());
            }
        }
        return analysis.framesMade(source, s.withFramer(framerState, s.held(), chunk.endSampleIndex(), chunk.sequence()), made);
    }

    /**
     * Closes the segment of every source that sent nothing for the idle time while the broker was answering:
     * its last audio is scored.
     */
    private void closeIdleSources(long nowMs) {
        long cutoff = nowMs - settings.idleTimeout().toMillis();
        if (broker.answeringSinceMs(nowMs) > cutoff) {
            return;     // the broker is away, or not back for the idle time yet: silence would mean nothing
        }
        List<String> idle = new ArrayList<>();
        for (Map.Entry<String, Long> e : lastHeard.entrySet()) {
            if (e.getValue() > cutoff) {
                break;      // in order of last access: the rest were heard later
            }
            idle.add(e.getKey());
        }
        for (String source : idle) {
            forget(source);
            try {
                SourceStream s = streams.get(source);
                if (s != null && s.open()) {
                    LOG.info("source {} sent nothing for {} ms: closing its stream {} at sample {}", source,
                            settings.idleTimeout().toMillis(), s.streamId(), s.nextExpectedSample());
                    streams.put(source, analysis.endSegment(source, s, SoundEvent.EndReason.IDLE)
                            .closed(SourceStream.Status.IDLE, s.lastSequence()));
                }
            } catch (RuntimeException e) {
                LOG.error("closing idle source {} failed; its segment stays open", source, e);
            }
        }
    }

    private void forget(String source) {
        lastHeard.remove(source);
        framers.remove(source);
    }

    @Override
    public void scored(String source, SourceStream s, ScoredBlock block, long decidingSample) {
        // Output records carry the wall-clock time they are published at (capture times are in the JSON):
        // a replay of old audio must not produce records that time-based retention deletes at once.
        long now = nowMicros.getAsLong();
        long ts = now / 1000;
        long decidedAt = EventRecords.captureMicros(s, decidingSample);
        if (block.scores().length > 0) {
            metrics.windowPublished(now - decidedAt);
        }
        if (settings.emitScores()) {
            // A block of at most 256 frames is about 40 KB of JSON, far below the 1 MB record limit.
            float[][] rows = block.scores();
            for (int from = 0; from < rows.length; from += MAX_SCORE_FRAMES_PER_RECORD) {
                float[][] part = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + MAX_SCORE_FRAMES_PER_RECORD));
                context.forward(new Record<>(source, records.scores(source, s, block.firstFrame() + from, part), ts),
                        DetectorTopology.SCORES_SINK);
            }
        }
        for (LabelTransition t : block.transitions()) {
            SoundEvent event = records.event(source, s, t);
            boolean start = event.state() == SoundEvent.State.START;
            context.forward(new Record<>(source, event, ts), DetectorTopology.EVENTS_SINK);
            metrics.event(event.label(), start, now - decidedAt, start ? now - event.onsetTimeMicros() : -1);
        }
    }

    @Override
    public void inferenceFailed(String source, SourceStream s, String what, long firstSample, long endSample,
                                Throwable cause) {
        String detail = "inference of the " + what + " of stream " + s.streamId() + " (samples [" + firstSample + ", "
                + endSample + ")) failed: " + cause.getMessage() + "; its frames count as silence";
        metrics.rejected(DlqReason.INFERENCE_FAILED);
        LOG.warn("source {}: {}", source, detail, cause.getCause() != null ? cause.getCause() : cause);
        Headers headers = new RecordHeaders();
        headers.add(DetectorTopology.DLQ_REASON_HEADER, DlqReason.INFERENCE_FAILED.code().getBytes(StandardCharsets.UTF_8));
        headers.add(DetectorTopology.DLQ_DETAIL_HEADER, detail.getBytes(StandardCharsets.UTF_8));
        headers.add(DetectorTopology.DLQ_STREAM_HEADER, s.streamId().getBytes(StandardCharsets.UTF_8));
        headers.add(DetectorTopology.DLQ_SAMPLES_HEADER, (firstSample + "-" + endSample).getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<String, Object>(source, new byte[0], nowMicros.getAsLong() / 1000, headers),
                DetectorTopology.DLQ_SINK);
    }

    private void deadLetter(Record<String, byte[]> record, DlqReason reason, String detail) {
        metrics.rejected(reason);
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(DetectorTopology.DLQ_REASON_HEADER, reason.code().getBytes(StandardCharsets.UTF_8));
        headers.add(DetectorTopology.DLQ_DETAIL_HEADER, detail.getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent(m -> headers.add(DetectorTopology.DLQ_ORIGIN_HEADER,
                (m.topic() + "-" + m.partition() + "@" + m.offset()).getBytes(StandardCharsets.UTF_8)));
        LOG.warn("audio record from source {} dead-lettered ({}): {}", record.key(), reason.code(), detail);
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers),
                DetectorTopology.DLQ_SINK);
    }

    @Override
    public void close() {
        analysis.close();
        framers.clear();
        lastHeard.clear();
    }
}
