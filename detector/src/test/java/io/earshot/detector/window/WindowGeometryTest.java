package io.earshot.detector.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WindowGeometryTest {

    @Test
    void secondsRoundToWholeOutputFrames() {
        // 10 s at 16 kHz with hop 256 and pooling 4: 156.25 output frames -> 156 -> 624 input frames
        WindowGeometry g = WindowGeometry.fromSeconds(10.0, 5.0, 16000, 256, 4);
        assertEquals(624, g.windowFrames());
        assertEquals(312, g.hopFrames());
        assertEquals(156, g.windowOutputFrames());
        assertEquals(9.984, g.windowSeconds(16000), 1e-9);
        assertEquals(4.992, g.hopSeconds(16000), 1e-9);
        // tiny values still give one output frame
        assertEquals(4, WindowGeometry.fromSeconds(0.001, 0.001, 16000, 256, 4).hopFrames());
    }

    @Test
    void rejectsHopLongerThanWindowAndOffGridLengths() {
        assertThrows(IllegalArgumentException.class, () -> WindowGeometry.fromSeconds(2.0, 4.0, 16000, 256, 4));
        assertThrows(IllegalArgumentException.class, () -> new WindowGeometry(622, 312, 4, 256));
        assertThrows(IllegalArgumentException.class, () -> new WindowGeometry(624, 310, 4, 256));
        assertThrows(IllegalArgumentException.class, () -> WindowGeometry.fromSeconds(-1, 1, 16000, 256, 4));
        assertThrows(IllegalArgumentException.class, () -> WindowGeometry.fromSeconds(Double.NaN, 1, 16000, 256, 4));
    }

    @Test
    void segmentOriginsLandOnTheOutputGrid() {
        WindowGeometry g = new WindowGeometry(624, 312, 4, 256);
        assertEquals(0, g.alignedOriginAtOrAfter(0));
        assertEquals(4, g.alignedOriginAtOrAfter(1));
        assertEquals(4, g.alignedOriginAtOrAfter(1024));
        assertEquals(8, g.alignedOriginAtOrAfter(1025));
        for (long s = 0; s < 5000; s += 37) {
            long origin = g.alignedOriginAtOrAfter(s);
            assertEquals(0, origin % 4);
            assertTrue(origin * 256 >= s && origin * 256 - s < 1024, "origin of sample " + s);
        }
    }
}
