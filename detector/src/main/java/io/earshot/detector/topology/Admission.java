package io.earshot.detector.topology;

import io.earshot.detector.state.SourceStream;
import io.earshot.protocol.AudioChunk;

/**
 * What to do with a decoded chunk, given where its source's stream stands. Pure: no state is changed.
 */
public enum Admission {
    /** First chunk of a source, or of a new stream id: (close the old stream and) start a stream. */
    NEW_STREAM,
    /** Continues the stream exactly where it stopped. */
    CONTINUE,
    /**
     * Continues the stream where it stopped, after its segment was closed for idleness: a new segment
     * of the same stream starts at the chunk.
     */
    RESUME,
    /** Starts after the expected sample: close events at the gap and start a new segment there. */
    GAP,
    /** Already seen (sequence and samples): dropped. */
    DUPLICATE,
    /** A new chunk whose samples lie before what was already processed: dead-lettered. */
    BACK_IN_TIME,
    /** Not in a format the model can use (sample rate): dead-lettered. */
    UNSUPPORTED_FORMAT;

    public static Admission of(AudioChunk chunk, SourceStream current, int modelSampleRate) {
        if (chunk.sampleRate() != modelSampleRate) {
            return UNSUPPORTED_FORMAT;
        }
        if (current == null || !current.streamId().equals(chunk.streamId())) {
            return NEW_STREAM;
        }
        long expected = current.nextExpectedSample();
        long first = chunk.firstSampleIndex();
        boolean seenSequence = chunk.sequence() <= current.lastSequence();
        if (seenSequence && chunk.endSampleIndex() <= expected) {
            return DUPLICATE;
        }
        if (first < expected || seenSequence) {
            return BACK_IN_TIME;
        }
        if (first == expected && current.open()) {
            return CONTINUE;
        }
        return first == expected && current.status() == SourceStream.Status.IDLE ? RESUME : GAP;
    }
}
