package io.earshot.launcher;

import io.earshot.evaluation.EmptyOutputPolicy;
import io.earshot.evaluation.EvaluationReport;
import io.earshot.evaluation.EvaluationSettings;
import io.earshot.evaluation.Evaluator;
import io.earshot.evaluation.ReportTable;
import io.earshot.evaluation.io.Durations;
import io.earshot.evaluation.io.EventListReader;
import io.earshot.evaluation.io.EventTable;
import io.earshot.evaluation.io.Reference;
import io.earshot.evaluation.io.ScoreTable;
import io.earshot.evaluation.io.ScoreTableReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.earshot.detector.model.ManifestReader;
import io.earshot.detector.model.ModelException;
import io.earshot.detector.model.ModelManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code earshot eval}: DCASE metrics of detections or score tables against a ground truth (docs/evaluation.md). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate detected events or frame scores against a ground truth with the DCASE metrics: "
                + "event-based and segment-based F1 and error rate (sed_eval), intersection-based F1, and PSDS1/PSDS2 "
                + "(psds_eval; exact over all thresholds for score tables, as sed_scores_eval).",
        footer = {"", "Formats and metric definitions: docs/evaluation.md."})
public final class EvalCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--ground-truth", required = true, paramLabel = "GT.tsv",
            description = "Reference events: filename, onset, offset, event_label (tab-separated, header optional).")
    Path groundTruth;

    @Option(names = "--durations", required = true, paramLabel = "DUR.tsv",
            description = "Every evaluated audio file with its duration in seconds (filename, duration).")
    Path durations;

    @ArgGroup(exclusive = true, multiplicity = "1")
    SystemOutput system;

    /** What the evaluated system produced: events or frame scores. */
    static final class SystemOutput {
        @Option(names = "--detections", required = true, paramLabel = "DET.tsv",
                description = "Detected events, same format as the ground truth (may be empty).")
        Path detections;

        @Option(names = "--scores", required = true, paramLabel = "DIR",
                description = "Score tables, one <audio file stem>.tsv per file: onset, offset, one column per class.")
        Path scores;
    }

    @Option(names = "--operating-points", paramLabel = "FILE|DIR", arity = "1..*",
            description = "With --detections: detection tables, one per operating point, for PSDS "
                    + "(a directory means all its .tsv files). Default: the detections are the one operating point.")
    List<Path> operatingPoints = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "T", arity = "1..*",
            description = "With --scores: decision threshold(s) for the event, segment and intersection metrics "
                    + "(a frame is active when its score is above T; default: ${DEFAULT-VALUE}). "
                    + "PSDS always uses every threshold.", defaultValue = "0.5")
    List<Double> thresholds;

    @Option(names = "--classes", split = ",", paramLabel = "LABEL",
            description = "The class list (comma-separated). Default: the labels of the ground truth.")
    List<String> classes;

    @Option(names = "--median-filter", paramLabel = "N|LABEL=N,...|MANIFEST.json",
            description = "With --scores: median-filter the scores before every metric, as the event decoder does "
                    + "(DCASE post-processing): one odd length N in frames for all classes, per-class lengths "
                    + "(classes not listed: none), or a model manifest's decoding.median_filter_frames.")
    String medianFilter;

    @Option(names = "--zero-score",
            description = "Precision 0 instead of undefined for a class without detections (DCASE baselines).")
    boolean zeroScore;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    public Integer call() {
        if (system.detections != null && spec.commandLine().getParseResult().hasMatchedOption("--threshold")) {
            throw new ParameterException(spec.commandLine(), "--threshold applies to --scores only");
        }
        if (system.scores != null && !operatingPoints.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "--operating-points applies to --detections only (score tables give every operating point)");
        }
        if (system.detections != null && medianFilter != null) {
            throw new ParameterException(spec.commandLine(), "--median-filter applies to --scores only");
        }
        EventTable gt = EventListReader.read(groundTruth);
        Durations files = Durations.read(durations);
        Reference reference = classes == null ? new Reference(gt, files) : new Reference(gt, files, classes);
        EvaluationSettings dcase = EvaluationSettings.DCASE;
        EvaluationSettings settings = zeroScore
                ? new EvaluationSettings(dcase.eventBased().withEmptyOutput(EmptyOutputPolicy.ZERO_SCORE),
                dcase.segmentSeconds(), dcase.scenarios())
                : dcase;
        Evaluator evaluator = new Evaluator(settings);
        EvaluationReport report;
        if (system.detections != null) {
            List<EventTable> ops = new ArrayList<>();
            for (Path p : expand(operatingPoints)) {
                ops.add(EventListReader.read(p));
            }
            report = evaluator.evaluateDetections(reference, EventListReader.read(system.detections), ops);
        } else {
            Map<String, ScoreTable> scores = ScoreTableReader.readDirectory(system.scores, files, reference.classes());
            String description = system.scores.toString();
            if (medianFilter != null) {
                Map<String, Integer> windows = medianWindows(medianFilter, reference.classes());
                scores = ScoreTable.medianFiltered(scores, windows);
                description += ", median-filtered " + windows;
            }
            report = evaluator.evaluateScores(reference, scores, thresholds, description);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.toJsonString() + System.lineSeparator() : ReportTable.render(report));
        out.flush();
        return Main.EXIT_OK;
    }

    /** The median length per class that {@code --median-filter} names (see its description). */
    private Map<String, Integer> medianWindows(String value, List<String> classes) {
        Map<String, Integer> windows = new LinkedHashMap<>();
        String v = value.trim();
        try {
            if (v.endsWith(".json")) {
                ModelManifest manifest = ManifestReader.read(Path.of(v));
                for (String label : classes) {
                    int i = manifest.labels().indexOf(label);
                    if (i < 0) {
                        throw new ParameterException(spec.commandLine(), "--median-filter: model manifest " + v
                                + " has no decoding for class " + label);
                    }
                    windows.put(label, manifest.decoders().get(i).medianFrames());
                }
            } else if (v.contains("=")) {
                for (String part : v.split(",")) {
                    String[] kv = part.split("=", 2);
                    String label = kv[0].trim();
                    if (!classes.contains(label)) {
                        throw new ParameterException(spec.commandLine(), "--median-filter: '" + label
                                + "' is not one of the evaluated classes " + classes);
                    }
                    windows.put(label, Integer.parseInt(kv.length == 2 ? kv[1].trim() : ""));
                }
            } else {
                int n = Integer.parseInt(v);
                classes.forEach(label -> windows.put(label, n));
            }
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--median-filter: '" + value
                    + "' is not N, LABEL=N,... or a model manifest (.json)");
        } catch (ModelException e) {
            throw new ParameterException(spec.commandLine(), "--median-filter: " + e.getMessage());
        }
        windows.forEach((label, n) -> {
            if (n < 1 || n % 2 == 0) {
                throw new ParameterException(spec.commandLine(), "--median-filter: the length for " + label
                        + " must be odd and >= 1, not " + n);
            }
        });
        return windows;
    }

    /** Files as given, directories replaced by their .tsv files in name order. */
    private static List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> listing = Files.list(p)) {
                    listing.filter(f -> f.getFileName().toString().endsWith(".tsv")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + p, e);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }
}
