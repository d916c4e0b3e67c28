// Scores test-split outputs with the project's own metrics library (evaluation/ module), so the
// training results come from the same implementation as `earshot eval`.
// Run: java -cp EVALUATION_JAR:JACKSON_JARS training/tools/Evaluate.java \
//        GROUND_TRUTH.tsv DURATIONS.tsv SCORES_DIR DETECTIONS.tsv OUT.json LABEL...
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.evaluation.EvaluationReport;
import io.earshot.evaluation.EvaluationSettings;
import io.earshot.evaluation.Evaluator;
import io.earshot.evaluation.io.*;
import java.nio.file.*;
import java.util.*;

public class Evaluate {
    public static void main(String[] args) throws Exception {
        List<String> classes = Arrays.asList(args).subList(5, args.length);
        Durations durations = Durations.read(Path.of(args[1]));
        Reference ref = new Reference(EventListReader.read(Path.of(args[0])), durations, classes);
        Evaluator evaluator = new Evaluator(EvaluationSettings.DCASE);
        Map<String, ScoreTable> scores = ScoreTableReader.readDirectory(Path.of(args[2]), durations, classes);
        EvaluationReport fromScores = evaluator.evaluateScores(ref, scores, List.of(0.5), "frame score tables");
        EvaluationReport fromDetections = evaluator.evaluateDetections(ref, EventListReader.read(Path.of(args[3])), List.of());
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode out = mapper.createObjectNode();
        out.set("scores", fromScores.toJson());
        out.set("detections", fromDetections.toJson());
        Files.writeString(Path.of(args[4]), mapper.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        System.out.printf("PSDS1 %.4f PSDS2 %.4f%n", fromScores.psdsValue("psds1"), fromScores.psdsValue("psds2"));
    }
}
