package io.earshot.launcher.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The demo's temporary files: broker data, Streams state, sink outputs. Deleted on close unless kept. */
final class DemoWorkspace implements AutoCloseable {

    private final Path root;
    private final boolean keep;

    private DemoWorkspace(Path root, boolean keep) {
        this.root = root;
        this.keep = keep;
    }

    static DemoWorkspace create(Path under, boolean keep) {
        try {
            Path root = under == null ? Files.createTempDirectory("earshot-demo-")
                    : Files.createTempDirectory(Files.createDirectories(under), "earshot-demo-");
            return new DemoWorkspace(root, keep);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo's temporary directory: " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    Path brokerDir() {
        return root.resolve("broker");
    }

    Path streamsStateDir() {
        return root.resolve("streams-state");
    }

    Path eventsTsv() {
        return root.resolve("out").resolve("events.tsv");
    }

    Path scoresDir() {
        return root.resolve("out").resolve("scores");
    }

    boolean kept() {
        return keep;
    }

    @Override
    public void close() {
        if (keep || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the demo's temporary directory " + root + ": " + e.getMessage(), e);
        }
    }
}
