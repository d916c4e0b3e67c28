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
 * @param backlogPeakSeconds the most audio that waited in the backlog at once (Kafka slow or unreachable)
 * @param backlogSeconds  the backlog's bound
 */
public record MicSummary(String device, String captureFormat, List<String> streamIds, long samplesCaptured,
                         long samplesSent, long samplesDropped, int targetRate, double backlogPeakSeconds,
                         double backlogSeconds) {

    public MicSummary {
        streamIds = List.copyOf(streamIds);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "captured %.1f s from '%s' (%s), sent %.1f s in %d stream(s), dropped %.1f s, backlog peak %.1f s of %.0f s",
                samplesCaptured / (double) targetRate, device, captureFormat, samplesSent / (double) targetRate,
                streamIds.size(), samplesDropped / (double) targetRate, backlogPeakSeconds, backlogSeconds);
    }
}
