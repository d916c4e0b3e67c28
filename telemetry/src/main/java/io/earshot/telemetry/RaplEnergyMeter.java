package io.earshot.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Energy from Linux RAPL counters in the powercap sysfs tree ({@code intel-rapl:N/energy_uj}).
 *
 * <p>Counted zones: every package zone {@code intel-rapl:N} plus its {@code dram} sub-zone where present
 * (DRAM is not part of the package counter; core/uncore sub-zones are, so they are skipped to avoid
 * counting twice; {@code psys} covers the packages too and is skipped). Each counter wraps at
 * {@code max_energy_range_uj}; a reading lower than the previous one is taken as exactly one wrap.
 * Reading at least once per wrap period (minutes at full load) keeps this exact; the publisher reads
 * on every report.
 *
 * <p>RAPL measures the whole socket, not this process: on a shared machine it is an upper bound of
 * what the detector spent.
 */
public final class RaplEnergyMeter implements EnergyMeter {

    private static final Logger LOG = LoggerFactory.getLogger(RaplEnergyMeter.class);
    private static final Pattern PACKAGE_ZONE = Pattern.compile("intel-rapl:\\d+");
    private static final Pattern SUB_ZONE = Pattern.compile("intel-rapl:\\d+:\\d+");

    private final List<Zone> zones;
    private double microjoules;

    private RaplEnergyMeter(List<Zone> zones) {
        this.zones = zones;
    }

    /**
     * Opens the counters under {@code powercapRoot}; empty when there are none or they cannot be read
     * (since 2020 kernels make {@code energy_uj} readable by root only).
     */
    public static Optional<RaplEnergyMeter> open(Path powercapRoot) {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> top = Files.list(powercapRoot)) {
            top.filter(p -> PACKAGE_ZONE.matcher(p.getFileName().toString()).matches())
                    .filter(p -> !"psys".equals(readName(p)))
                    .sorted().forEach(pkg -> {
                dirs.add(pkg);
                try (Stream<Path> subs = Files.list(pkg)) {
                    subs.filter(p -> SUB_ZONE.matcher(p.getFileName().toString()).matches())
                            .filter(p -> "dram".equals(readName(p)))
                            .sorted()
                            .forEach(dirs::add);
                } catch (IOException e) {
                    LOG.debug("cannot list RAPL sub-zones of {}: {}", pkg, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.debug("no RAPL powercap directory at {}: {}", powercapRoot, e.toString());
            return Optional.empty();
        }
        if (dirs.isEmpty()) {
            return Optional.empty();
        }
        List<Zone> zones = new ArrayList<>();
        for (Path dir : dirs) {
            try {
                long max = readLong(dir.resolve("max_energy_range_uj"));
                long now = readLong(dir.resolve("energy_uj"));
                zones.add(new Zone(dir, readName(dir), max, now));
            } catch (IOException | NumberFormatException e) {
                LOG.info("RAPL counter {} is not readable ({}); falling back to the CPU-time model", dir, e.toString());
                return Optional.empty();
            }
        }
        return Optional.of(new RaplEnergyMeter(zones));
    }

    private static String readName(Path zoneDir) {
        try {
            return Files.readString(zoneDir.resolve("name")).trim();
        } catch (IOException e) {
            return zoneDir.getFileName().toString();
        }
    }

    private static long readLong(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }

    @Override
    public String method() {
        return "rapl";
    }

    @Override
    public synchronized double joules() {
        for (Zone zone : zones) {
            try {
                long now = readLong(zone.dir.resolve("energy_uj"));
                microjoules += zone.advance(now);
            } catch (IOException | NumberFormatException e) {
                // A transient read failure loses nothing: the next read covers the interval.
                LOG.warn("cannot read RAPL counter {}: {}", zone.dir, e.toString());
            }
        }
        return microjoules / 1e6;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("RAPL powercap zones");
        for (Zone z : zones) {
            sb.append(' ').append(z.dir.getFileName()).append('(').append(z.name).append(')');
        }
        return sb.toString();
    }

    /** One counter with its last raw reading. */
    private static final class Zone {
        final Path dir;
        final String name;
        final long maxRange;
        long last;

        Zone(Path dir, String name, long maxRange, long first) {
            this.dir = dir;
            this.name = name;
            this.maxRange = maxRange;
            this.last = first;
        }

        /** Microjoules since the previous reading, one wrap-around at max_energy_range_uj allowed. */
        long advance(long now) {
            long delta = now >= last ? now - last : (maxRange - last) + now;
            last = now;
            return delta;
        }
    }
}
