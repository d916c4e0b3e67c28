package io.earshot.ingest.mic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.ingest.IngestMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.Test;

/** The microphone pipeline's parts on their own: backlog bound and drop policy, PCM decoding, format preference. */
class MicPartsTest {

    private static AudioBacklog.Block block(int samples, long micros) {
        return new AudioBacklog.Block(new float[samples], micros, false);
    }

    @Test
    void backlogDropsTheOldestPastItsBoundCountsItAndMarksTheGap() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics metrics = new IngestMetrics(registry);
        AudioBacklog backlog = new AudioBacklog(3200, 16000, "src", metrics); // 0.2 s
        backlog.add(block(1600, 0));
        backlog.add(block(1600, 100_000));
        assertEquals(0.2, backlog.fillSeconds(), 1e-9);
        assertEquals(0.2, registry.find("earshot.ingest.buffer.fill").gauge().value(), 1e-9);
        backlog.add(block(1600, 200_000)); // over the bound: the block at 0 goes
        backlog.add(block(1600, 300_000)); // and the one at 100 ms
        assertEquals(3200, backlog.droppedSamples());
        assertEquals(0.2, metrics.audioDroppedSeconds("src"), 1e-9);
        assertEquals(0.2, registry.find("earshot.ingest.audio.dropped").tag("reason", "buffer_full").counter().count(), 1e-9);
        AudioBacklog.Block first = backlog.poll(1, TimeUnit.SECONDS);
        assertEquals(200_000, first.captureMicros());
        assertTrue(first.afterGap(), "the first block after a loss starts a new stream");
        AudioBacklog.Block second = backlog.poll(1, TimeUnit.SECONDS);
        assertEquals(300_000, second.captureMicros());
        assertFalse(second.afterGap());
        assertNull(backlog.poll(10, TimeUnit.MILLISECONDS), "empty: times out");
        backlog.close();
        assertTrue(backlog.drained());
        assertNull(backlog.poll(1, TimeUnit.SECONDS), "closed and empty: returns at once");
        assertThrows(IllegalStateException.class, () -> backlog.add(block(1, 0)));
    }

    @Test
    void backlogKeepsAtLeastTheNewestBlockAndDropAllCountsTheRest() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AudioBacklog backlog = new AudioBacklog(100, 16000, "s", new IngestMetrics(registry));
        backlog.add(block(1600, 0)); // bigger than the bound on its own: kept, nothing older to drop
        assertEquals(0, backlog.droppedSamples());
        assertEquals(1600, backlog.dropAll("shutdown"));
        assertEquals(0.1, registry.find("earshot.ingest.audio.dropped").tag("reason", "shutdown").counter().count(), 1e-9);
    }

    @Test
    void pcmDecoderReadsEveryLayoutAndMixesToMono() {
        // Stereo frames (L, R) = (0.5, -0.25) full scale in each layout must give 0.125.
        assertDecodes(new AudioFormat(48000, 16, 2, true, false), new byte[] {0x00, 0x40, 0x00, (byte) 0xE0});
        assertDecodes(new AudioFormat(48000, 16, 2, true, true), new byte[] {0x40, 0x00, (byte) 0xE0, 0x00});
        assertDecodes(new AudioFormat(48000, 24, 2, true, false), new byte[] {0, 0, 0x40, 0, 0, (byte) 0xE0});
        assertDecodes(new AudioFormat(48000, 32, 2, true, true), new byte[] {0x40, 0, 0, 0, (byte) 0xE0, 0, 0, 0});
        assertDecodes(new AudioFormat(AudioFormat.Encoding.PCM_UNSIGNED, 8000, 8, 2, 2, 8000, false), new byte[] {(byte) 0xC0, 0x60});
        assertDecodes(new AudioFormat(48000, 8, 2, true, false), new byte[] {0x40, (byte) 0xE0});
        byte[] f = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-0.25f).array();
        assertDecodes(new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, 48000, 32, 2, 8, 48000, false), f);
        assertThrows(IllegalArgumentException.class, () -> new PcmDecoder(new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false)));
    }

    private static void assertDecodes(AudioFormat format, byte[] oneFrame) {
        float[] out = new float[1];
        assertEquals(1, new PcmDecoder(format).decode(oneFrame, 0, oneFrame.length, out), format.toString());
        assertArrayEquals(new float[] {0.125f}, out, 1e-6f, format.toString());
    }

    @Test
    void formatPreferenceIsTargetRateThenLowestAboveThen16BitThenMono() {
        List<AudioFormat> formats = new ArrayList<>(List.of(
                new AudioFormat(8000, 16, 1, true, false),
                new AudioFormat(48000, 16, 2, true, false),
                new AudioFormat(44100, 24, 1, true, false),
                new AudioFormat(44100, 16, 2, true, false),
                new AudioFormat(44100, 16, 1, true, false),
                new AudioFormat(11025, 16, 1, true, false)));
        formats.sort(FormatNegotiator.preference(16000));
        assertEquals(44100f, formats.get(0).getSampleRate());
        assertEquals(16, formats.get(0).getSampleSizeInBits());
        assertEquals(1, formats.get(0).getChannels());
        assertEquals(48000f, formats.get(3).getSampleRate());
        assertEquals(11025f, formats.get(4).getSampleRate(), "below the target: the highest first");
        formats.add(new AudioFormat(16000, 16, 2, true, false));
        formats.sort(FormatNegotiator.preference(16000));
        assertEquals(16000f, formats.get(0).getSampleRate(), "exactly the target rate wins");
    }

    @Test
    void micConfigValidates() {
        assertThrows(IllegalArgumentException.class, () -> MicConfig.of(" "));
        assertThrows(IllegalArgumentException.class, () -> MicConfig.of("a").withBacklog(java.time.Duration.ofMillis(50)));
        assertEquals(1600, MicConfig.of("a").chunkSamples());
        assertEquals(16000L * 300, MicConfig.of("a").backlogSamples());
    }
}
