package io.earshot.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.earshot.protocol.EnergyReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnergyReporterTest {

    /** A meter whose joules the test sets. */
    static final class FakeMeter implements EnergyMeter {
        volatile double joules;

        @Override
        public String method() {
            return "rapl";
        }

        @Override
        public double joules() {
            return joules;
        }

        @Override
        public String describe() {
            return "fake";
        }
    }

    /** A clock the test moves. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-24T23:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void intervalsTileTimeAndCarryTheirOwnWorkAndEnergy() {
        FakeMeter meter = new FakeMeter();
        StepClock clock = new StepClock();
        WorkCounters work = new WorkCounters();
        EnergyReporter reporter = new EnergyReporter("det-1", 400.0, meter, work, clock);
        long t0 = EnergyReporter.micros(clock.now);

        clock.now = clock.now.plusSeconds(10);
        meter.joules = 36.0;
        work.addAudioSamples(16_000 * 120, 16_000); // two minutes of audio
        work.addInferences(13);
        EnergyReport first = reporter.next();

        assertEquals("det-1", first.instanceId());
        assertEquals(t0, first.intervalStartMicros());
        assertEquals(t0 + 10_000_000, first.intervalEndMicros());
        assertEquals(36.0, first.joules(), 1e-12);
        assertEquals(1e-5, first.kwh(), 1e-15);
        assertEquals(120.0, first.audioSeconds(), 1e-9);
        assertEquals(13, first.inferences());
        assertEquals(36.0 * 30, first.joulesPerAudioHour(), 1e-9, "36 J per 1/30 h");
        assertEquals(1e-5 * 400.0, first.gramsCo2e(), 1e-12);
        assertEquals("rapl", first.method());

        clock.now = clock.now.plusSeconds(5);
        meter.joules = 40.0;
        EnergyReport second = reporter.next();
        assertEquals(first.intervalEndMicros(), second.intervalStartMicros(), "no gap, no overlap");
        assertEquals(4.0, second.joules(), 1e-12);
        assertEquals(0.0, second.audioSeconds());
        assertEquals(0, second.inferences());
        assertNull(second.joulesPerAudioHour(), "no audio: no per-hour figure");
    }

    @Test
    void publisherReportsOnScheduleAndOnCloseAndMirrorsMeters() throws Exception {
        FakeMeter meter = new FakeMeter();
        WorkCounters work = new WorkCounters();
        List<EnergyReport> out = new java.util.concurrent.CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EnergyConfig config = EnergyConfig.defaults("det-2").withReportInterval(Duration.ofMillis(50))
                .withGridIntensity(100);
        EnergyReportPublisher publisher =
                EnergyReportPublisher.start(config, meter, work, Clock.systemUTC(), out::add, registry);
        meter.joules = 7.2e5; // 0.2 kWh
        work.addAudioSeconds(3600);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (out.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        meter.joules = 7.2e5 + 3.6e5;
        publisher.close();

        List<EnergyReport> reports = new ArrayList<>(out);
        double joules = reports.stream().mapToDouble(EnergyReport::joules).sum();
        assertEquals(1.08e6, joules, 1e-6, "every joule reported once, the last ones by close()");
        assertEquals(3600.0, reports.stream().mapToDouble(EnergyReport::audioSeconds).sum(), 1e-9);
        assertEquals(0.3 * 100, reports.stream().mapToDouble(EnergyReport::gramsCo2e).sum(), 1e-9);
        assertEquals(1.08e6, registry.get("earshot.energy.joules").counter().count(), 1e-6);
        assertEquals(reports.size(), registry.get("earshot.energy.reports").counter().count());
        assertEquals(3600.0, registry.get("earshot.work.audio").functionCounter().count(), 1e-9);
        for (int i = 1; i < reports.size(); i++) {
            assertEquals(reports.get(i - 1).intervalEndMicros(), reports.get(i).intervalStartMicros());
        }
    }
}
