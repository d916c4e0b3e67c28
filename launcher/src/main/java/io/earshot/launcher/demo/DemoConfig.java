package io.earshot.launcher.demo;

import io.earshot.ingest.replay.Pacing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code earshot demo} runs on and how.
 *
 * @param audio        directory (or file) of WAV soundscapes to replay, one source per file
 * @param groundTruth  DCASE event list of the audio
 * @param durations    DCASE durations file of the audio
 * @param model        the ONNX model (its manifest next to it)
 * @param pacing       replay speed: max speed by default, real time with --realtime
 * @param chunkMillis  audio per chunk record
 * @param printEvents  print events live as they are detected
 * @param json         where to write the JSON report, or null
 * @param workDir      parent of the temporary directory, null for the system's temp dir
 * @param keepData     keep the temporary directory (broker data, outputs) instead of deleting it
 * @param timeout      longest wait for the detector to finish after the replay ended
 * @param mqtt         MQTT bridge: null for none, "" for an embedded broker on 127.0.0.1:1883 (or a free port),
 *                     or a broker address (tcp://HOST:1883)
 * @param dashboardPort serve the live dashboard on this port (0: any free one) during the demo, or null for none
 */
public record DemoConfig(Path audio, Path groundTruth, Path durations, Path model, Pacing pacing, int chunkMillis,
                         boolean printEvents, Path json, Path workDir, boolean keepData, Duration timeout,
                         String mqtt, Integer dashboardPort) {

    public DemoConfig {
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(groundTruth, "groundTruth");
        Objects.requireNonNull(durations, "durations");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pacing, "pacing");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the demo's timeout must be positive, got " + timeout);
        }
        if (dashboardPort != null && (dashboardPort < 0 || dashboardPort > 65535)) {
            throw new IllegalArgumentException("the dashboard port must be in 0..65535, got " + dashboardPort);
        }
    }

    /** Without MQTT and without the dashboard. */
    public DemoConfig(Path audio, Path groundTruth, Path durations, Path model, Pacing pacing, int chunkMillis,
                      boolean printEvents, Path json, Path workDir, boolean keepData, Duration timeout) {
        this(audio, groundTruth, durations, model, pacing, chunkMillis, printEvents, json, workDir, keepData, timeout,
                null, null);
    }
}
