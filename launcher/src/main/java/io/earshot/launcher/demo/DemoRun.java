package io.earshot.launcher.demo;

import io.earshot.ingest.replay.ReplaySummary;
import io.earshot.sink.EnergyTotals;
import java.nio.file.Path;
import java.util.List;

/**
 * What the pipeline part of the demo produced, before evaluation.
 *
 * @param labels          the model's labels, in model order
 * @param eventsTsv       the detected events as a DCASE event list
 * @param scoresDir       the frame score tables, one per source
 * @param replay          what the replay sent
 * @param energy          energy totals from the detector's reports
 * @param startupSeconds  broker, detector and sink start until the detector was running
 * @param processSeconds  replay start until every final event was committed and written
 */
record DemoRun(List<String> labels, Path eventsTsv, Path scoresDir, ReplaySummary replay, EnergyTotals.Summary energy,
               double startupSeconds, double processSeconds) {

    /** Audio seconds processed per wall-clock second, from replay start to the last event. */
    double realTimeFactor() {
        return processSeconds > 0 ? replay.audioSeconds() / processSeconds : Double.NaN;
    }
}
