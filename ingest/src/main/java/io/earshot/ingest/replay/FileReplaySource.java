package io.earshot.ingest.replay;

import io.earshot.dsp.resample.Resampler;
import io.earshot.dsp.wav.WavReader;
import io.earshot.ingest.ChunkAssembler;
import io.earshot.ingest.StreamSequencer;
import io.earshot.protocol.AudioChunk;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One WAV file as one stream: read in blocks, mixed down to mono, resampled to the target rate, cut into
 * fixed-size chunks, then closed by an end-of-stream record. Only a few blocks are in memory at a time.
 */
final class FileReplaySource implements AutoCloseable {

    private final Path file;
    private final String sourceId;
    private final WavReader reader;
    private final Resampler resampler;
    private final ChunkAssembler assembler;
    private final StreamSequencer sequencer;
    private final float[] block;
    private final long totalSamples;
    private final double startOffsetSeconds;
    private boolean inputDone;

    private FileReplaySource(Path file, String sourceId, WavReader reader, Resampler resampler, ChunkAssembler assembler,
                             StreamSequencer sequencer, double startOffsetSeconds) {
        this.file = file;
        this.sourceId = sourceId;
        this.reader = reader;
        this.resampler = resampler;
        this.assembler = assembler;
        this.sequencer = sequencer;
        this.startOffsetSeconds = startOffsetSeconds;
        this.totalSamples = resampler.outputLengthFor(reader.format().frameCount());
        // Read about one chunk's worth of input at a time.
        int inRate = reader.format().sampleRate();
        this.block = new float[Math.max(256, (int) ((long) assembler.chunkSamples() * inRate / sequencer.sampleRate()))];
    }

    /**
     * Opens a file and starts its stream.
     *
     * @param startOffsetSeconds replay audio clock at which this source starts (for pacing)
     * @param nowMicros          wall clock now, UTC epoch microseconds
     */
    static FileReplaySource open(Path file, String sourceId, String streamId, ReplayConfig config,
                                 double startOffsetSeconds, long nowMicros) throws IOException {
        WavReader reader = WavReader.open(file);
        try {
            Resampler resampler = new Resampler(reader.format().sampleRate(), config.targetRate());
            long samples = resampler.outputLengthFor(reader.format().frameCount());
            // Real time simulates a live capture starting now; faster replay presents the file as a
            // recording that ended now, so capture times never lie in the future.
            long captureZero = config.pacing().isRealTime() ? nowMicros
                    : nowMicros - Math.round(samples * 1_000_000.0 / config.targetRate());
            StreamSequencer sequencer = new StreamSequencer(streamId, config.targetRate(), captureZero);
            return new FileReplaySource(file, sourceId, reader, resampler, new ChunkAssembler(config.chunkSamples()),
                    sequencer, startOffsetSeconds);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The next record: a data chunk, then finally the end-of-stream record; null after that. */
    AudioChunk next() throws IOException {
        if (sequencer.ended()) {
            return null;
        }
        while (!assembler.hasChunk() && !inputDone) {
            int n = reader.readMono(block, 0, block.length);
            if (n < 0) {
                inputDone = true;
                assembler.add(resampler.flush());
            } else {
                assembler.add(resampler.process(block, 0, n));
            }
        }
        if (assembler.hasChunk()) {
            float[] chunk = assembler.takeChunk();
            return sequencer.next(chunk, 0, chunk.length);
        }
        float[] rest = assembler.takeRest();
        if (rest.length > 0) {
            return sequencer.next(rest, 0, rest.length);
        }
        return sequencer.end();
    }

    /** Closes the stream early (after a read error) if it is still open: the audio sent so far stands. */
    AudioChunk endEarly() {
        return sequencer.ended() ? null : sequencer.end();
    }

    /** Replay audio clock (seconds since the replay started) at which the next record is due. */
    double dueAudioSeconds() {
        long end = Math.min(sequencer.samplesSequenced() + assembler.chunkSamples(), Math.max(totalSamples, sequencer.samplesSequenced()));
        return startOffsetSeconds + end / (double) sequencer.sampleRate();
    }

    boolean finished() {
        return sequencer.ended();
    }

    Path file() {
        return file;
    }

    String sourceId() {
        return sourceId;
    }

    String streamId() {
        return sequencer.streamId();
    }

    long samplesSent() {
        return sequencer.samplesSequenced();
    }

    long chunksSent() {
        return sequencer.chunksSequenced();
    }

    WavReader reader() {
        return reader;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
