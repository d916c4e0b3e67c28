package io.earshot.telemetry;

import io.earshot.protocol.EnergyReport;
import java.time.Clock;
import java.time.Instant;

/**
 * Cuts the meter's cumulative joules and the work counters into consecutive intervals, each one an
 * {@link EnergyReport}. Intervals tile time with no gap or overlap: each starts where the previous
 * ended. Not thread-safe; {@link EnergyReportPublisher} calls it from one thread at a time.
 */
public final class EnergyReporter {

    /** Joules in one kilowatt hour. */
    public static final double JOULES_PER_KWH = 3.6e6;

    private final String instanceId;
    private final double gridGramsPerKwh;
    private final EnergyMeter meter;
    private final WorkCounters work;
    private final Clock clock;
    private long startMicros;
    private double startJoules;
    private WorkCounters.Snapshot startWork;

    public EnergyReporter(String instanceId, double gridGramsPerKwh, EnergyMeter meter, WorkCounters work, Clock clock) {
        this.instanceId = instanceId;
        this.gridGramsPerKwh = gridGramsPerKwh;
        this.meter = meter;
        this.work = work;
        this.clock = clock;
        this.startMicros = micros(clock.instant());
        this.startJoules = meter.joules();
        this.startWork = work.snapshot();
    }

    /** Closes the current interval at now and returns its report; the next interval starts now. */
    public EnergyReport next() {
        long endMicros = Math.max(startMicros, micros(clock.instant()));
        double joulesNow = meter.joules();
        WorkCounters.Snapshot workNow = work.snapshot();
        WorkCounters.Snapshot done = workNow.minus(startWork);
        double joules = Math.max(0, joulesNow - startJoules);
        double kwh = joules / JOULES_PER_KWH;
        Double perAudioHour = done.audioSeconds() > 0 ? joules / (done.audioSeconds() / 3600.0) : null;
        EnergyReport report = new EnergyReport(instanceId, startMicros, endMicros, joules, kwh, meter.method(),
                done.audioSeconds(), done.inferences(), perAudioHour, kwh * gridGramsPerKwh);
        startMicros = endMicros;
        startJoules = joulesNow;
        startWork = workNow;
        return report;
    }

    public String instanceId() {
        return instanceId;
    }

    public String method() {
        return meter.method();
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }
}
