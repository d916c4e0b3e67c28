package io.earshot.sink;

import io.earshot.protocol.EnergyReport;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Sums energy reports across detector instances. A report is identified by (instance,
 * interval start): one seen again (the energy topic is re-read from the beginning on every start)
 * is not counted twice. Thread-safe: the consumer thread adds, anyone reads a {@link Summary}.
 */
public final class EnergyTotals {

    private final Set<String> seen = new HashSet<>();
    private final Map<String, Summary> byInstance = new TreeMap<>();
    private Summary total = Summary.EMPTY;

    /** Totals of a set of reports. kwhPerAudioHour is NaN while no audio was processed. */
    public record Summary(int instances, long reports, double joules, double audioSeconds, long inferences,
                          double gramsCo2e, Set<String> methods) {
        static final Summary EMPTY = new Summary(0, 0, 0, 0, 0, 0, Set.of());

        public double kwh() {
            return joules / 3.6e6;
        }

        public double audioHours() {
            return audioSeconds / 3600.0;
        }

        public double kwhPerAudioHour() {
            return audioSeconds > 0 ? kwh() / audioHours() : Double.NaN;
        }

        Summary plus(EnergyReport r, int instanceCount) {
            Set<String> m = new TreeSet<>(methods);
            m.add(r.method());
            return new Summary(instanceCount, reports + 1, joules + r.joules(), audioSeconds + r.audioSeconds(),
                    inferences + r.inferences(), gramsCo2e + r.gramsCo2e(), Set.copyOf(m));
        }
    }

    /** Adds a report; false when it was already counted. */
    public synchronized boolean add(EnergyReport report) {
        if (!seen.add(report.instanceId() + '\0' + report.intervalStartMicros())) {
            return false;
        }
        byInstance.merge(report.instanceId(), Summary.EMPTY.plus(report, 1), (old, one) -> old.plus(report, 1));
        total = total.plus(report, byInstance.size());
        return true;
    }

    /** Totals over every instance. */
    public synchronized Summary total() {
        return total;
    }

    /** Totals per instance id. */
    public synchronized Map<String, Summary> byInstance() {
        return Map.copyOf(byInstance);
    }
}
