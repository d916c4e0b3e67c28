package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"broker", "ingest", "detect", "sink", "dashboard", "eval", "demo"})
    void everySubcommandHasHelp(String command) {
        Result r = run(command, "--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Usage: earshot " + command), r.out());
        assertTrue(r.out().contains("--help"), r.out());
    }

    @Test
    void topLevelHelpListsTheCommands() {
        Result r = run("--help");
        assertEquals(0, r.exitCode());
        for (String command : new String[] {"broker", "ingest", "detect", "sink", "dashboard", "eval", "demo"}) {
            assertTrue(r.out().contains("  " + command), command + " missing from:\n" + r.out());
        }
    }

    @Test
    void noCommandIsAUsageError() {
        Result r = run();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("missing command"), r.err());
    }

    @Test
    void anUnknownOptionIsOneLinePlusAHint() {
        Result r = run("broker", "--data-dri=x");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("earshot broker: Unknown option: '--data-dri=x'"), r.err());
        assertTrue(r.err().contains("--data-dir"), "suggests the close match: " + r.err());
        assertTrue(r.err().contains("Try 'earshot broker --help'"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void aMissingConfigFileIsAUsageError(@TempDir Path dir) {
        Result r = run("broker", "--config", dir.resolve("missing.properties").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("missing.properties"), r.err());
    }

    @Test
    void aRuntimeFailureIsOneLineWithoutAStackTraceUnlessVerbose(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            Result quiet = run("broker", "--port", port, "--data-dir", dir.toString());
            assertEquals(1, quiet.exitCode());
            assertEquals(1, quiet.err().strip().lines().count(), quiet.err());
            assertTrue(quiet.err().startsWith("earshot broker: port " + port), quiet.err());

            Result verbose = run("broker", "--verbose", "--port", port, "--data-dir", dir.toString());
            assertEquals(1, verbose.exitCode());
            assertTrue(verbose.err().contains("\tat io.earshot.broker.EmbeddedKafkaBroker"), verbose.err());
        }
    }

    @Test
    void versionNamesTheProduct() {
        Result r = run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("earshot "), r.out());
    }
}
