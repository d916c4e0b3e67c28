package io.earshot.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.protocol.AudioChunk;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamSequencerTest {

    @Test
    void chunksAreNumberedContiguousAndTimedBySampleIndex() {
        StreamSequencer s = new StreamSequencer("st-1", 16000, 1_000_000L);
        AudioChunk a = s.next(new float[1600], 0, 1600);
        AudioChunk b = s.next(new float[3], 0, 3);
        AudioChunk end = s.end();
        assertEquals(0, a.sequence());
        assertEquals(0, a.firstSampleIndex());
        assertEquals(1_000_000L, a.captureTimeMicros());
        assertEquals(1, b.sequence());
        assertEquals(1600, b.firstSampleIndex());
        assertEquals(1_100_000L, b.captureTimeMicros());
        assertEquals(2, end.sequence());
        assertEquals(1603, end.firstSampleIndex());
        assertEquals(1_000_000L + Math.round(1603 * 62.5), end.captureTimeMicros());
        assertTrue(end.endOfStream());
        for (AudioChunk c : new AudioChunk[] {a, b, end}) {
            assertEquals(1_000_000L, c.captureTimeMicrosOfSampleZero(), "consistent with the chunk's own arithmetic");
        }
        assertThrows(IllegalStateException.class, () -> s.next(new float[1], 0, 1));
        assertThrows(IllegalStateException.class, s::end);
    }

    @Test
    void peekDoesNotAdvanceUntilCommitted() {
        StreamSequencer s = new StreamSequencer("st-2", 16000, 0);
        AudioChunk first = s.peek(new float[10], 0, 10);
        assertEquals(first, s.peek(new float[10], 0, 10));
        s.commit(first);
        AudioChunk second = s.peek(new float[5], 0, 5);
        assertEquals(1, second.sequence());
        assertEquals(10, second.firstSampleIndex());
        assertThrows(IllegalStateException.class, () -> s.commit(first), "a chunk cannot be committed twice");
    }

    @Test
    void chunkAssemblerCutsFixedSizeChunksFromAnyBlocks() {
        ChunkAssembler a = new ChunkAssembler(4);
        a.add(new float[] {1, 2, 3});
        assertTrue(!a.hasChunk());
        a.add(new float[] {4, 5, 6, 7, 8, 9, 10}, 0, 7);
        assertArrayEquals(new float[] {1, 2, 3, 4}, a.takeChunk());
        assertArrayEquals(new float[] {5, 6, 7, 8}, a.takeChunk());
        assertTrue(!a.hasChunk());
        assertArrayEquals(new float[] {9, 10}, a.takeRest());
        assertArrayEquals(new float[0], a.takeRest());
    }

    @Test
    void streamIdsAreFreshAndReadable() {
        Instant t = Instant.parse("2026-11-24T22:58:00Z");
        String a = StreamIds.newStreamId(t);
        String b = StreamIds.newStreamId(t);
        assertTrue(a.matches("20261124T225800Z-[0-9a-f]{8}"), a);
        assertTrue(!a.equals(b));
    }
}
