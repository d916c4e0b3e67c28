package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.launcher.demo.DemoConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

    private static DemoCommand parse(String... args) {
        CommandLine cli = Main.commandLine(ConfigSources.environment(Map.of()));
        cli.parseArgs(prepend("demo", args));
        return cli.getSubcommands().get("demo").getCommand();
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void defaultsAreTheBundledDemoAtMaxSpeed() {
        DemoConfig config = parse().config();
        assertTrue(config.audio().endsWith(Path.of("demo", "audio")), config.audio().toString());
        assertTrue(config.groundTruth().endsWith(Path.of("demo", "ground_truth.tsv")));
        assertTrue(config.durations().endsWith(Path.of("demo", "durations.tsv")));
        assertTrue(config.model().endsWith(Path.of("models", "earshot-sed-v2-ens.onnx")));
        assertTrue(config.pacing().unpaced());
        assertTrue(config.printEvents());
        assertFalse(config.keepData());
        assertEquals(Duration.ofSeconds(300), config.timeout());
    }

    @Test
    void aDatasetOfOnesOwnWithRealTimePacing() {
        DemoConfig config = parse("--audio", "/data/a", "--ground-truth", "/data/gt.tsv", "--durations", "/data/d.tsv",
                "--realtime", "--json", "out.json", "--no-events", "--keep-data").config();
        assertEquals(Path.of("/data/a"), config.audio());
        assertEquals(Path.of("/data/gt.tsv"), config.groundTruth());
        assertEquals(Path.of("/data/d.tsv"), config.durations());
        assertTrue(config.pacing().isRealTime());
        assertEquals(Path.of("out.json"), config.json());
        assertFalse(config.printEvents());
        assertTrue(config.keepData());
    }

    @Test
    void audioWithoutItsGroundTruthIsAUsageError() {
        MainTest.Result r = MainTest.run("demo", "--audio", "/data/a");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--ground-truth"), r.err());
    }
}
