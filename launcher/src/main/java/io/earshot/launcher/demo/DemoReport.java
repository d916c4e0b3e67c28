package io.earshot.launcher.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.evaluation.ReportTable;
import io.earshot.sink.EnergyTotals;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The demo's final words: the evaluation, the energy report and the throughput, as text and as JSON. */
record DemoReport(DemoRun run, DemoEvaluation evaluation, double totalSeconds) {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String ENERGY_SCOPE = "the whole demo process: broker, detector, sink and replay";

    void print(PrintWriter out) {
        out.println();
        out.println("== Evaluation of the detected events against the ground truth");
        out.print(ReportTable.render(evaluation.report()));
        out.println();
        out.println("== Energy");
        EnergyTotals.Summary e = run.energy();
        out.printf(Locale.ROOT, "%.1f J (%.3g kWh) by %s, %.0f J per audio hour, %.3g g CO2e; %d report(s), %d inferences%n",
                e.joules(), e.kwh(), String.join("+", e.methods()), joulesPerAudioHour(e), e.gramsCo2e(), e.reports(),
                e.inferences());
        out.println("   measured for " + ENERGY_SCOPE);
        out.println();
        out.println("== Throughput");
        out.printf(Locale.ROOT, "%.1f s of audio from %d file(s) processed in %.1f s: %.1fx real time "
                        + "(start-up %.1f s, whole demo %.1f s)%n",
                run.replay().audioSeconds(), run.replay().sources().size(), run.processSeconds(), run.realTimeFactor(),
                run.startupSeconds(), totalSeconds);
        out.flush();
    }

    /** The {@code earshot eval --json} object of the detected events, with PSDS from the score tables, plus energy and throughput. */
    ObjectNode toJson() {
        ObjectNode root = evaluation.report().toJson();

        EnergyTotals.Summary e = run.energy();
        ObjectNode energy = root.putObject("energy");
        energy.put("method", String.join("+", e.methods()));
        energy.put("scope", ENERGY_SCOPE);
        energy.put("reports", e.reports());
        number(energy, "joules", e.joules());
        number(energy, "kwh", e.kwh());
        number(energy, "audio_seconds", e.audioSeconds());
        energy.put("inferences", e.inferences());
        number(energy, "joules_per_audio_hour", joulesPerAudioHour(e));
        number(energy, "kwh_per_audio_hour", e.kwhPerAudioHour());
        number(energy, "g_co2e", e.gramsCo2e());

        ObjectNode throughput = root.putObject("throughput");
        number(throughput, "audio_seconds", run.replay().audioSeconds());
        throughput.put("files", run.replay().sources().size());
        throughput.put("chunks", run.replay().chunksSent());
        number(throughput, "startup_seconds", run.startupSeconds());
        number(throughput, "process_seconds", run.processSeconds());
        number(throughput, "total_seconds", totalSeconds);
        number(throughput, "real_time_factor", run.realTimeFactor());
        return root;
    }

    void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, MAPPER.writeValueAsString(toJson()) + "\n");
    }

    private static double joulesPerAudioHour(EnergyTotals.Summary e) {
        return e.audioSeconds() > 0 ? e.joules() / e.audioHours() : Double.NaN;
    }

    /** Strict JSON: NaN and infinities become null. */
    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
