package io.earshot.detector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.detector.TestAudio;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SourceLevels;
import io.earshot.protocol.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The levels branch on its own source node in a TopologyTestDriver. */
class LevelsBranchTest {

    private static final Topics TOPICS = Topics.defaults();
    private static final long T0 = 1_700_000_000_000_000L;

    @TempDir
    Path tmp;

    private List<SourceLevels> run(List<AudioChunk> chunks, String source) {
        Topology topology = new Topology();
        topology.addSource(DetectorTopology.SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                TOPICS.audio());
        LevelsBranch.addTo(topology, TOPICS, TestAudio.RATE);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "levels-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, tmp.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(TOPICS.audio(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, SourceLevels> out = driver.createOutputTopic(TOPICS.levels(),
                    Serdes.String().deserializer(), JsonSerde.sourceLevels().deserializer());
            for (AudioChunk c : chunks) {
                in.pipeInput(source, TestAudio.encode(c));
            }
            in.pipeInput(source, new byte[] {1, 2, 3}); // undecodable: skipped (the detection processor dead-letters it)
            return out.readValuesToList();
        }
    }

    private static float[] loudThenQuiet() {
        float[] x = new float[48_000];
        for (int i = 0; i < x.length; i++) {
            double amp = i < 24_000 ? 0.5 : 0.005;
            x[i] = (float) (amp * Math.sin(2 * Math.PI * 1000 * i / TestAudio.RATE));
        }
        return x;
    }

    @Test
    void publishesOneRecordPer4096SamplesWithLevelTimeAndSpectrogram() {
        List<SourceLevels> levels = run(TestAudio.chunks("s1", loudThenQuiet(), 1600), "mic-1");
        assertEquals(48_000 / 4096, levels.size(), "whole intervals only");
        for (int k = 0; k < levels.size(); k++) {
            SourceLevels l = levels.get(k);
            assertEquals("mic-1", l.sourceId());
            assertEquals("s1", l.streamId());
            assertEquals(4096L * k, l.startSample());
            assertEquals(4096L * (k + 1), l.endSample());
            assertEquals(T0 + 4096L * k * 1_000_000 / 16_000, l.startTimeMicros());
            assertEquals(4, l.bandsDb().size());
            assertEquals(32, l.bandsDb().get(0).length);
            assertEquals(1024, l.columnHopSamples());
        }
        assertEquals(-9.0, levels.get(2).rmsDbfs(), 0.11, "a half-scale sine");
        assertEquals(-6.0, levels.get(2).peakDbfs(), 0.11);
        assertEquals(-49.0, levels.get(8).rmsDbfs(), 0.2, "the same sine 40 dB lower");
    }

    @Test
    void levelsDoNotDependOnChunkingAndANewStreamStartsAFreshMeter() {
        float[] x = loudThenQuiet();
        List<SourceLevels> a = run(TestAudio.chunks("s1", x, 1600), "mic-1");
        List<AudioChunk> odd = new ArrayList<>(TestAudio.chunks("s1", x, TestAudio.randomSizes(3), T0, false));
        odd.addAll(TestAudio.chunks("s2", x, new int[] {3000}, T0 + 60_000_000L, true));
        List<SourceLevels> b = run(odd, "mic-1");
        assertEquals(2 * a.size(), b.size());
        for (int k = 0; k < a.size(); k++) {
            assertEquals(a.get(k).rmsDbfs(), b.get(k).rmsDbfs());
            assertEquals(a.get(k).startSample(), b.get(k + a.size()).startSample());
            assertEquals("s2", b.get(k + a.size()).streamId());
            assertEquals(a.get(k).peakDbfs(), b.get(k + a.size()).peakDbfs());
        }
        assertTrue(b.get(a.size()).startTimeMicros() == T0 + 60_000_000L);
    }
}
