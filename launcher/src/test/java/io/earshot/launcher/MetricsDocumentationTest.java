package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.detector.DetectorMetrics;
import io.earshot.detector.DlqReason;
import io.earshot.ingest.IngestMetrics;
import io.earshot.telemetry.CpuTimeEnergyModel;
import io.earshot.telemetry.EnergyConfig;
import io.earshot.telemetry.EnergyReportPublisher;
import io.earshot.telemetry.MetricsEndpoint;
import io.earshot.telemetry.PrometheusScrape;
import io.earshot.telemetry.WorkCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md names every metric the ingest agent and the detector export: their real metric
 * classes are exercised once (so that tagged meters exist), scraped and checked against the page.
 * The sink's metrics are checked the same way in the sink module's tests.
 */
class MetricsDocumentationTest {

    private static String doc() throws Exception {
        return Files.readString(Path.of(System.getProperty("earshot.repo.root", ".."), "docs", "metrics.md"));
    }

    @Test
    void ingestMetricsAreDocumented() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.withoutHttp("ingest")) {
            IngestMetrics m = new IngestMetrics(endpoint.registry());
            m.audioSent("a.wav", 1.0);
            m.chunkSent("a.wav");
            m.audioDropped("mic", "buffer_full", 0.5);
            m.sendError("mic");
            m.fileReplayed(true);
            m.bufferFill("mic", () -> 0.25);
            PrometheusScrape scrape = PrometheusScrape.parse(endpoint.scrape());
            assertTrue(scrape.names().stream().filter(n -> n.startsWith("earshot_ingest_")).count() >= 6);
            assertEquals(List.of(), scrape.undocumentedIn(doc()));
        }
    }

    @Test
    void detectorAndEnergyMetricsAreDocumented() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.withoutHttp("detector")) {
            WorkCounters work = new WorkCounters();
            DetectorMetrics m = new DetectorMetrics(endpoint.registry(), work);
            m.batchDone(4, 3_000_000);
            m.audio("a.wav", 16_000, 16_000);
            m.rejected(DlqReason.MALFORMED);
            m.duplicate();
            m.gap();
            m.event("Speech", true, 120_000, 900_000);
            m.event("Speech", false, 110_000, -1);
            EnergyReportPublisher energy = EnergyReportPublisher.start(
                    EnergyConfig.defaults("det-1").withReportInterval(Duration.ofHours(1)),
                    new CpuTimeEnergyModel(10, 0.375), work, Clock.systemUTC(), r -> { }, endpoint.registry());
            energy.publishNow();
            energy.close();
            PrometheusScrape scrape = PrometheusScrape.parse(endpoint.scrape());
            assertTrue(scrape.names().stream().filter(n -> n.startsWith("earshot_detector_")).count() >= 10);
            assertEquals(List.of(), scrape.undocumentedIn(doc()));
        }
    }
}
