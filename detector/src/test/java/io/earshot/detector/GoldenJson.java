package io.earshot.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Reading the training side's golden JSON files (models/golden) for the model tests of both kinds. */
final class GoldenJson {

    private GoldenJson() {
    }

    /** The golden .json files of a directory in name order; none when the directory does not exist. */
    static Stream<Path> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    /** A JSON array of arrays of numbers as frames x values. */
    static float[][] matrix(JsonNode node) {
        float[][] m = new float[node.size()][];
        for (int i = 0; i < m.length; i++) {
            JsonNode row = node.get(i);
            m[i] = new float[row.size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = (float) row.get(j).asDouble();
            }
        }
        return m;
    }

    /** The largest absolute difference, after checking both have the same shape. */
    static double largestDifference(float[][] want, float[][] got, String what) {
        assertEquals(want.length, got.length, what + ": frames");
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i].length, got[i].length, what + ": values in frame " + i);
            for (int j = 0; j < want[i].length; j++) {
                worst = Math.max(worst, Math.abs(want[i][j] - got[i][j]));
            }
        }
        return worst;
    }

    static void assertClose(float[][] want, float[][] got, double tolerance, String what) {
        double worst = largestDifference(want, got, what);
        assertTrue(worst <= tolerance, what + ": largest difference " + worst + " > " + tolerance);
    }
}
