package io.earshot.ingest.mic;

import java.util.List;

/**
 * What a capture did.
 *
 * @param device          capture device name
 * @param captureFormat   the format negotiated with the device
 * @param streamIds       streams sent, in order (a new one follows every loss of audio)
 * @param samplesCaptured samples at the target rate that came from the device
 * @param samplesSent     samples acknowledged by Kafka
 * @param samplesDropped  samples given up (backlog full, Kafka refused, or still buffered at shutdown)
 * @param targetRate      rate of the sample counts
 */
public record MicSummary(String device, String captureFormat, List<String> streamIds, long samplesCaptured,
                         long samplesSent, long samplesDropped, int targetRate) {

    public MicSummary {
        streamIds = List.copyOf(streamIds);
    }

    @Override
    public String toString() {
        return String.format("captured %.1f s from '%s' (%s), sent %.1f s in %d stream(s), dropped %.1f s",
                samplesCaptured / (double) targetRate, device, captureFormat, samplesSent / (double) targetRate,
                streamIds.size(), samplesDropped / (double) targetRate);
    }
}
