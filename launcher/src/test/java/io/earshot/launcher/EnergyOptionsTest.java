package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.telemetry.EnergyConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class EnergyOptionsTest {

    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Mixin
        EnergyOptions energy;

        @Override
        public void run() {
        }
    }

    private static EnergyConfig parse(Map<String, String> env, String... args) {
        Probe probe = new Probe();
        Main.commandLine(probe, ConfigSources.of(args, env)).parseArgs(args);
        return probe.energy.apply(EnergyConfig.defaults("det-1"));
    }

    @Test
    void defaultsLeaveTheConfigAsItWas() {
        assertEquals(EnergyConfig.defaults("det-1"), parse(Map.of()));
    }

    @Test
    void flagsSetTheModelGridAndPowercapRoot() {
        EnergyConfig c = parse(Map.of(), "--energy-method", "cpu_model", "--grid-intensity", "56",
                "--watts-per-core", "7.3", "--memory-watts-per-gib", "0.5", "--powercap-root", "/tmp/rapl");
        assertFalse(c.preferRapl());
        assertEquals(56.0, c.gridGramsCo2ePerKwh());
        assertEquals(7.3, c.wattsPerCore());
        assertEquals(0.5, c.memoryWattsPerGib());
        assertEquals(Path.of("/tmp/rapl"), c.powercapRoot());
        assertEquals("det-1", c.instanceId());
    }

    @Test
    void theEnvironmentWorksLikeForEveryOption() {
        EnergyConfig c = parse(Map.of("EARSHOT_GRID_INTENSITY", "120"));
        assertEquals(120.0, c.gridGramsCo2ePerKwh());
        assertTrue(c.preferRapl());
    }
}
