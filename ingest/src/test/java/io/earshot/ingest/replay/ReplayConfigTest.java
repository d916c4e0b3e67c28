package io.earshot.ingest.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayConfigTest {

    @TempDir
    Path dir;

    @Test
    void validatesWhatItIsGiven() {
        List<Path> one = List.of(Path.of("a.wav"));
        assertThrows(IllegalArgumentException.class, () -> ReplayConfig.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ReplayConfig.of(one).withChunkMillis(5));
        assertThrows(IllegalArgumentException.class, () -> ReplayConfig.of(one).withParallelSources(0));
        assertThrows(IllegalArgumentException.class, () -> ReplayConfig.of(one).withTargetRate(500));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> ReplayConfig.of(one).withTargetRate(96_000).withChunkMillis(10_000));
        assertTrue(big.getMessage().contains("more than a record may carry"), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pacing.of(0));
        assertEquals(1600, ReplayConfig.of(one).chunkSamples());
        assertEquals(441, ReplayConfig.of(one).withTargetRate(44_100).withChunkMillis(10).chunkSamples());
        assertEquals(0, Pacing.maxSpeed().dueNanos(100));
        assertEquals(500_000_000L, Pacing.of(2).dueNanos(1.0));
    }

    @Test
    void directoriesExpandRecursivelyToSortedWavFiles() throws IOException {
        Files.createDirectories(dir.resolve("b/c"));
        Files.createDirectories(dir.resolve("empty"));
        for (String f : List.of("b/c/z.WAV", "b/a.wav", "a.wav", "notes.txt", "b/readme.md")) {
            Files.writeString(dir.resolve(f), "x");
        }
        ReplayFiles.Expansion e = ReplayFiles.expand(List.of(dir, dir.resolve("empty"), dir.resolve("nope.wav")));
        assertEquals(List.of(dir.resolve("a.wav"), dir.resolve("b/a.wav"), dir.resolve("b/c/z.WAV")), e.files());
        assertEquals(2, e.failures().size());
        assertEquals("directory contains no .wav files", e.failures().get(0).reason());
        assertEquals("no such file or directory", e.failures().get(1).reason());
    }
}
