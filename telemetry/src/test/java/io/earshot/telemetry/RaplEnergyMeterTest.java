package io.earshot.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RAPL reader against a fake powercap tree laid out like the kernel's. */
class RaplEnergyMeterTest {

    @TempDir
    Path root;

    private Path zone(String relative, String name, long energyUj, long maxUj) throws IOException {
        Path dir = root.resolve(relative);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("name"), name + "\n");
        Files.writeString(dir.resolve("energy_uj"), energyUj + "\n");
        Files.writeString(dir.resolve("max_energy_range_uj"), maxUj + "\n");
        return dir;
    }

    private static void set(Path zone, long energyUj) throws IOException {
        Files.writeString(zone.resolve("energy_uj"), energyUj + "\n");
    }

    @Test
    void sumsPackagesAndDramButNotCoreOrPsys() throws IOException {
        Path pkg0 = zone("intel-rapl:0", "package-0", 1_000_000, 262_143_328_850L);
        Path core = zone("intel-rapl:0/intel-rapl:0:0", "core", 500_000, 262_143_328_850L);
        Path dram = zone("intel-rapl:0/intel-rapl:0:1", "dram", 10_000, 65_712_999_613L);
        Path pkg1 = zone("intel-rapl:1", "package-1", 7_000_000, 262_143_328_850L);
        Path psys = zone("intel-rapl:2", "psys", 3_000_000, 262_143_328_850L);

        RaplEnergyMeter meter = RaplEnergyMeter.open(root).orElseThrow();
        assertEquals(0.0, meter.joules(), 1e-12, "nothing spent since opening");

        set(pkg0, 3_500_000);   // +2.5 J
        set(core, 2_500_000);   // inside the package counter: must not count
        set(dram, 260_000);     // +0.25 J
        set(pkg1, 8_000_000);   // +1.0 J
        set(psys, 9_000_000);   // platform total overlaps packages: must not count
        assertEquals(3.75, meter.joules(), 1e-9);
        assertEquals("rapl", meter.method());
        assertTrue(meter.describe().contains("dram"), meter.describe());
    }

    @Test
    void wrapsAroundAtMaxEnergyRange() throws IOException {
        long max = 1_000_000;
        Path pkg = zone("intel-rapl:0", "package-0", 990_000, max);
        RaplEnergyMeter meter = RaplEnergyMeter.open(root).orElseThrow();

        set(pkg, 999_000);      // +9,000 uJ
        assertEquals(0.009, meter.joules(), 1e-12);
        set(pkg, 4_000);        // wrapped: 1,000 to the top + 4,000 after it
        assertEquals(0.014, meter.joules(), 1e-12);
        set(pkg, 4_000);        // unchanged: nothing more
        assertEquals(0.014, meter.joules(), 1e-12);
        set(pkg, 504_000);
        assertEquals(0.514, meter.joules(), 1e-12);
    }

    @Test
    void absentOrUnreadableCountersFallBackToTheModel() throws IOException {
        assertFalse(RaplEnergyMeter.open(root.resolve("missing")).isPresent(), "no such directory");
        assertFalse(RaplEnergyMeter.open(root).isPresent(), "empty powercap directory");

        Path pkg = root.resolve("intel-rapl:0");
        Files.createDirectories(pkg);
        Files.writeString(pkg.resolve("name"), "package-0\n");
        Files.writeString(pkg.resolve("max_energy_range_uj"), "1000\n");
        // energy_uj absent: as on kernels that restrict it to root, the zone exists but cannot be read
        assertFalse(RaplEnergyMeter.open(root).isPresent());

        EnergyConfig config = EnergyConfig.defaults("det-1").withPowercapRoot(root);
        assertInstanceOf(CpuTimeEnergyModel.class, EnergyMeter.detect(config));

        Files.writeString(pkg.resolve("energy_uj"), "5\n");
        assertInstanceOf(RaplEnergyMeter.class, EnergyMeter.detect(config));
        assertInstanceOf(CpuTimeEnergyModel.class, EnergyMeter.detect(config.withCpuModel(5, 0.5)),
                "the model can be forced even where RAPL is readable");
    }
}
