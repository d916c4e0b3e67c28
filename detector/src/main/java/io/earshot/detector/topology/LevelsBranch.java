package io.earshot.detector.topology;

import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The optional levels branch of the detector topology: a second, stateless child of the audio source that
 * publishes each source's level and a coarse spectrogram to {@code levels} ({@link LevelsProcessor}). It
 * shares nothing with the detection processor but the input, so turning it off changes no detection.
 */
public final class LevelsBranch {

    static final String PROCESSOR = "levels";
    static final String SINK = "levels-out";

    private LevelsBranch() {
    }

    /** Adds the branch to a topology built by {@link DetectorTopology#build}, for audio at {@code sampleRate}. */
    public static void addTo(Topology topology, Topics topics, int sampleRate) {
        topology.addProcessor(PROCESSOR, () -> new LevelsProcessor(sampleRate), DetectorTopology.SOURCE);
        topology.addSink(SINK, topics.levels(), Serdes.String().serializer(), JsonSerde.sourceLevels().serializer(),
                PROCESSOR);
    }
}
