package io.earshot.launcher;

import io.earshot.broker.EmbeddedKafkaBroker;
import io.earshot.detector.DetectorConfig;
import io.earshot.detector.DetectorService;
import io.earshot.ingest.replay.Pacing;
import io.earshot.ingest.replay.ReplayConfig;
import io.earshot.ingest.replay.ReplayJob;
import io.earshot.protocol.Topics;
import io.earshot.sink.EnergyTotals;
import io.earshot.sink.SinkConfig;
import io.earshot.sink.SinkService;
import io.earshot.telemetry.CpuTimeEnergyModel;
import io.earshot.telemetry.EnergyConfig;
import io.earshot.telemetry.MetricsEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Energy of the whole detection pipeline on the demo soundscapes (not a test: run by hand): an
 * in-process broker, the detector with energy reports every 2 s, a replay of demo/audio as fast as
 * possible (REPEATS times, each under its own source prefix) and a sink aggregating the reports. Prints audio processed, detector CPU, the reported
 * joules and kWh per audio hour, and the model call latency.
 *
 * <pre>java -cp "launcher/target/test-classes:launcher/target/classes:$(cat cp.txt)" io.earshot.launcher.PipelineEnergyBench [REPO [REPEATS]]</pre>
 */
public final class PipelineEnergyBench {

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : ".");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        List<Path> audio;
        try (var files = Files.list(repo.resolve("demo/audio"))) {
            audio = files.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
        double totalAudio = 0;
        for (String line : Files.readAllLines(repo.resolve("demo/durations.tsv"))) {
            String[] cells = line.split("\t");
            if (cells.length >= 2 && cells[1].matches("[0-9.]+")) {
                totalAudio += repeats * Double.parseDouble(cells[1]);
            }
        }
        Path out = Files.createTempDirectory("earshot-energy-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary();
             MetricsEndpoint metrics = MetricsEndpoint.withoutHttp("bench")) {
            Properties kafka = new Properties();
            kafka.put("bootstrap.servers", broker.bootstrapServers());
            Topics topics = Topics.defaults();
            EnergyConfig energy = EnergyConfig.defaults("bench-detector").withReportInterval(Duration.ofSeconds(2));
            DetectorConfig detectorConfig = DetectorConfig.builder(kafka).topics(topics)
                    .model(repo.resolve("models/earshot-sed-v1.onnx")).stateDir(out.resolve("state"))
                    .energy(energy).build();
            SinkConfig sinkConfig = SinkConfig.forBootstrap(broker.bootstrapServers()).withTopics(topics)
                    .withTsv(out.resolve("events.tsv")).withEnergy(true);
            StringWriter console = new StringWriter();
            long cpu0 = CpuTimeEnergyModel.processCpuNanos();
            long t0 = System.nanoTime();
            SinkService sink = SinkService.start(sinkConfig, new PrintWriter(console), metrics.registry());
            DetectorService detector = DetectorService.start(detectorConfig, metrics.registry());
            try {
                if (!detector.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("detector not running: " + detector.state());
                }
                for (int r = 0; r < repeats; r++) { // each repeat is a new set of sources
                    new ReplayJob(ReplayConfig.of(audio).withPacing(Pacing.maxSpeed()).withSourcePrefix("r" + r + "-"),
                            kafka, topics, metrics.registry()).run();
                }
                double analysed = 0;
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (analysed < totalAudio - 0.5 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    analysed = metrics.registry().find("earshot.detector.audio").counters().stream()
                            .mapToDouble(Counter::count).sum();
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                Timer inference = metrics.registry().find("earshot.detector.inference.latency").timer();
                detector.close(); // publishes the last energy report
                detector = null;
                if (!sink.awaitCaughtUp(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("sink did not catch up");
                }
                EnergyTotals.Summary t = sink.energyTotals().total();
                double cpu = (CpuTimeEnergyModel.processCpuNanos() - cpu0) / 1e9;
                System.out.printf(Locale.ROOT, "files %d, audio %.1f s (%.1f s expected), wall %.1f s (%.0fx real time)%n",
                        audio.size(), analysed, totalAudio, wall, analysed / wall);
                System.out.printf(Locale.ROOT, "process CPU (broker + detector + ingest + sink) %.1f s%n", cpu);
                System.out.printf(Locale.ROOT, "energy reports %d (%s): %.1f J, %.3e kWh, %.1f audio s, %d inferences,"
                                + " %.3e kWh per audio hour, %.1f J per audio hour%n", t.reports(), t.methods(), t.joules(),
                        t.kwh(), t.audioSeconds(), t.inferences(), t.kwhPerAudioHour(), t.joules() / t.audioHours());
                if (inference != null) {
                    System.out.printf(Locale.ROOT, "model calls %d, mean %.2f ms, max %.2f ms%n", inference.count(),
                            inference.mean(TimeUnit.MILLISECONDS), inference.max(TimeUnit.MILLISECONDS));
                }
            } finally {
                if (detector != null) {
                    detector.close();
                }
                sink.close();
            }
        }
    }
}
