package io.earshot.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the files that ship with Earshot (models/, demo/) when the command runs from another
 * directory: a relative default path is tried against the working directory first, then against the
 * installation directory the {@code ./earshot} script passes as {@code -Dearshot.home}.
 */
public final class EarshotHome {

    public static final String PROPERTY = "earshot.home";
    /** Set by the Maven build for tests: the repository root. */
    static final String TEST_PROPERTY = "earshot.repo.root";

    private EarshotHome() {
    }

    /** {@code path} itself if it exists or is absolute, else the same path under the installation, if there. */
    public static Path resolve(Path path) {
        if (path.isAbsolute() || Files.exists(path)) {
            return path;
        }
        for (String property : new String[] {PROPERTY, TEST_PROPERTY}) {
            String home = System.getProperty(property);
            if (home != null && !home.isBlank()) {
                Path candidate = Path.of(home).resolve(path);
                if (Files.exists(candidate)) {
                    return candidate;
                }
            }
        }
        return path;
    }
}
