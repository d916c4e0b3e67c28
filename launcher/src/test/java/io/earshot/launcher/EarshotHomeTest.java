package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarshotHomeTest {

    @Test
    void relativePathsFallBackToTheInstallationDirectory(@TempDir Path home) throws Exception {
        Path relative = Path.of("only-in-home-" + System.nanoTime(), "file.txt");
        Files.createDirectories(home.resolve(relative).getParent());
        Files.writeString(home.resolve(relative), "x");
        String before = System.getProperty(EarshotHome.PROPERTY);
        System.setProperty(EarshotHome.PROPERTY, home.toString());
        try {
            assertEquals(home.resolve(relative), EarshotHome.resolve(relative));
            Path missing = Path.of("nowhere-" + System.nanoTime());
            assertEquals(missing, EarshotHome.resolve(missing), "a path found nowhere stays as given, for the error message");
            Path absolute = home.resolve("absolute-missing");
            assertEquals(absolute, EarshotHome.resolve(absolute));
        } finally {
            if (before == null) {
                System.clearProperty(EarshotHome.PROPERTY);
            } else {
                System.setProperty(EarshotHome.PROPERTY, before);
            }
        }
    }
}
