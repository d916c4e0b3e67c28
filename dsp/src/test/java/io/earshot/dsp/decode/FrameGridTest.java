package io.earshot.dsp.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FrameGridTest {

    @Test
    void v1GridMatchesTheManifestContract() {
        // Output frame j pools input frames 4j..4j+3 (hop 256, window 1024): centres 1024j + 512 .. + 1280,
        // i.e. the output frame stands for [384 + 1024 j, 384 + 1024 (j + 1)).
        FrameGrid grid = FrameGrid.ofPooling(256, 1024, 4);
        assertEquals(new FrameGrid(384, 1024), grid);
        assertEquals(384, grid.startSample(0));
        assertEquals(384 + 1024 * 10, grid.startSample(10));
    }

    @Test
    void eventOnsetIsStartOfFirstFrameAndOffsetEndOfLast() {
        FrameGrid grid = new FrameGrid(384, 1024);
        DecodedEvent e = new DecodedEvent(3, 7, 0.8);
        assertEquals(384 + 3 * 1024, grid.onsetSample(e));
        assertEquals(384 + 7 * 1024, grid.offsetSample(e));
        assertEquals(4, e.lengthFrames());
        assertThrows(IllegalArgumentException.class, () -> new DecodedEvent(5, 5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new FrameGrid(0, 0));
    }
}
