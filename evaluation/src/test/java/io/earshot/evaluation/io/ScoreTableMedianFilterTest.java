package io.earshot.evaluation.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Post-processing score tables the way the event decoder smooths scores before its thresholds. */
class ScoreTableMedianFilterTest {

    private static ScoreTable table() {
        double[] on = {0, 1, 2, 3, 4, 5};
        double[] off = {1, 2, 3, 4, 5, 6};
        double[][] scores = {
            {0.9, 0.1, 0.1, 0.1, 0.8, 0.7},   // Cat
            {0.0, 0.0, 1.0, 0.0, 0.0, 1.0},   // Dog
        };
        return new ScoreTable("a.wav", on, off, List.of("Cat", "Dog"), scores);
    }

    @Test
    void filtersEachListedClassWithItsOwnWindowAndKeepsTheOthers() {
        ScoreTable t = table().medianFiltered(Map.of("Cat", 5));
        // Window 5 at frame 0 reads 0.9, 0.9, 0.9, 0.1, 0.1: nearest edges, as the decoder.
        assertArrayEquals(new double[] {0.9, 0.1, 0.1, 0.1, 0.7, 0.7}, t.column("Cat"));
        assertArrayEquals(new double[] {0.0, 0.0, 1.0, 0.0, 0.0, 1.0}, t.column("Dog"));
        ScoreTable both = table().medianFiltered(Map.of("Cat", 1, "Dog", 3));
        assertArrayEquals(table().column("Cat"), both.column("Cat"));
        assertArrayEquals(new double[] {0.0, 0.0, 0.0, 0.0, 0.0, 1.0}, both.column("Dog"));
        assertEquals(table().onset(3), both.onset(3));
        assertEquals(table().offset(5), both.offset(5));
    }

    @Test
    void aSpikeShorterThanHalfTheWindowNoLongerDetects() {
        ScoreTable filtered = table().medianFiltered(Map.of("Dog", 3));
        assertEquals(2, table().eventsAbove(0.5).stream().filter(e -> e.label().equals("Dog")).count());
        // The isolated spike at frame 2 is gone; the one at the last frame survives (nearest edge).
        assertEquals(1, filtered.eventsAbove(0.5).stream().filter(e -> e.label().equals("Dog")).count());
    }

    @Test
    void unknownLabelsAndEvenWindowsAreErrors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> table().medianFiltered(Map.of("Bird", 3)));
        assertTrue(unknown.getMessage().contains("no class Bird in the scores of a.wav"), unknown.getMessage());
        IllegalArgumentException even = assertThrows(IllegalArgumentException.class,
                () -> table().medianFiltered(Map.of("Cat", 4)));
        assertTrue(even.getMessage().contains("odd"), even.getMessage());
    }
}
