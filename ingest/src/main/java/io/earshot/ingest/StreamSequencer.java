package io.earshot.ingest;

import io.earshot.protocol.AudioChunk;

/**
 * Turns consecutive blocks of mono samples of one stream into wire chunks: sequence numbers from 0,
 * first-sample indices contiguous from 0, capture time of sample n = capture time of sample 0 + n / rate,
 * and a final end-of-stream record.
 */
public final class StreamSequencer {

    private final String streamId;
    private final int sampleRate;
    private final long captureMicrosOfSampleZero;
    private long sequence;
    private long nextSampleIndex;
    private boolean ended;

    public StreamSequencer(String streamId, int sampleRate, long captureMicrosOfSampleZero) {
        this.streamId = streamId;
        this.sampleRate = sampleRate;
        this.captureMicrosOfSampleZero = captureMicrosOfSampleZero;
    }

    /** The next chunk, holding {@code samples[offset, offset + length)} as 16-bit PCM. */
    public AudioChunk next(float[] samples, int offset, int length) {
        AudioChunk chunk = peek(samples, offset, length);
        commit(chunk);
        return chunk;
    }

    /**
     * The chunk {@link #next} would return, without advancing: for senders that only count a chunk as
     * part of the stream once Kafka has taken it, so a refused chunk leaves no hole in the sequence.
     */
    public AudioChunk peek(float[] samples, int offset, int length) {
        if (ended) {
            throw new IllegalStateException("stream " + streamId + " has ended");
        }
        return AudioChunk.ofMonoPcm16(streamId, sequence, nextSampleIndex, captureMicrosAt(nextSampleIndex),
                sampleRate, samples, offset, length);
    }

    /** Advances past a chunk obtained from {@link #peek}. */
    public void commit(AudioChunk chunk) {
        if (chunk.sequence() != sequence || chunk.firstSampleIndex() != nextSampleIndex || !chunk.streamId().equals(streamId)) {
            throw new IllegalStateException("chunk " + chunk.sequence() + " of stream " + chunk.streamId()
                    + " is not the next chunk (" + sequence + ") of stream " + streamId);
        }
        sequence++;
        nextSampleIndex += chunk.frameCount();
    }

    /** The end-of-stream record; no chunk may follow it. */
    public AudioChunk end() {
        if (ended) {
            throw new IllegalStateException("stream " + streamId + " has already ended");
        }
        ended = true;
        return AudioChunk.endOfStream(streamId, sequence++, nextSampleIndex, captureMicrosAt(nextSampleIndex), sampleRate);
    }

    /** Capture time of stream sample {@code index}, rounded to the microsecond as {@link AudioChunk} does. */
    public long captureMicrosAt(long index) {
        return captureMicrosOfSampleZero + Math.round(index * 1_000_000.0 / sampleRate);
    }

    public String streamId() {
        return streamId;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Samples sequenced so far: the first sample index of the next chunk. */
    public long samplesSequenced() {
        return nextSampleIndex;
    }

    /** Chunks (including an end-of-stream record) sequenced so far. */
    public long chunksSequenced() {
        return sequence;
    }

    public boolean ended() {
        return ended;
    }
}
