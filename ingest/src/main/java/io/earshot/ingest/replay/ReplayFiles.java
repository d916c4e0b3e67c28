package io.earshot.ingest.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Expands the replay's paths: files as given, directories to their *.wav files (recursively, sorted). */
final class ReplayFiles {

    /** The files to replay and the paths that could not even be listed. */
    record Expansion(List<Path> files, List<ReplaySummary.FileFailure> failures) {
    }

    private ReplayFiles() {
    }

    static Expansion expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        List<ReplaySummary.FileFailure> failures = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    List<Path> wavs = walk.filter(Files::isRegularFile).filter(ReplayFiles::isWav).sorted().toList();
                    if (wavs.isEmpty()) {
                        failures.add(new ReplaySummary.FileFailure(p, "directory contains no .wav files"));
                    }
                    files.addAll(wavs);
                } catch (IOException | RuntimeException e) {
                    failures.add(new ReplaySummary.FileFailure(p, "cannot list directory: " + e.getMessage()));
                }
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                failures.add(new ReplaySummary.FileFailure(p, "no such file or directory"));
            }
        }
        return new Expansion(files, failures);
    }

    static boolean isWav(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav");
    }
}
