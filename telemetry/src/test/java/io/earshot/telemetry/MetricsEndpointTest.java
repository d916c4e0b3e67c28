package io.earshot.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesJvmProcessAndOwnMetricsInPrometheusText() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("sink", "127.0.0.1", 0)) {
            assertTrue(endpoint.port() > 0, "a free port was chosen");
            endpoint.registry().counter("earshot.test.things", "kind", "a").increment(3);

            HttpResponse<String> response = get(endpoint.uri());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

            PrometheusScrape scrape = PrometheusScrape.parse(response.body());
            assertEquals(3.0, scrape.value("earshot_test_things_total", Map.of("kind", "a", "service", "sink"))
                    .orElseThrow());
            for (String name : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds",
                    "system_cpu_count", "jvm_gc_memory_allocated_bytes_total", "process_files_open_files"}) {
                assertTrue(!scrape.named(name).isEmpty(), name + " missing from " + scrape.names());
            }
            assertTrue(scrape.sum("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
            assertTrue(scrape.named("jvm_threads_live_threads").get(0).value() >= 1);

            assertEquals(404, get(endpoint.uri().resolve("/nothing")).statusCode());
        }
    }

    @Test
    void energyAndWorkMetersAppearUnderTheirPrometheusNames() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.withoutHttp("detector")) {
            EnergyReporterTest.FakeMeter meter = new EnergyReporterTest.FakeMeter();
            WorkCounters work = new WorkCounters();
            EnergyReporterTest.StepClock clock = new EnergyReporterTest.StepClock();
            EnergyReportPublisher publisher = EnergyReportPublisher.start(
                    EnergyConfig.defaults("d1").withReportInterval(java.time.Duration.ofHours(1)).withGridIntensity(500),
                    meter, work, clock, r -> { }, endpoint.registry());
            meter.joules = 7200;
            work.addAudioSeconds(1800);
            work.addInferences(90);
            clock.now = clock.now.plusSeconds(60);
            publisher.publishNow();
            publisher.close();

            PrometheusScrape scrape = PrometheusScrape.parse(endpoint.scrape());
            Map<String, String> tags = Map.of("instance", "d1", "method", "rapl", "service", "detector");
            assertEquals(7200.0, scrape.value("earshot_energy_joules_total", tags).orElseThrow(), 1e-9);
            assertEquals(7200 / 3.6e6 * 500, scrape.value("earshot_energy_co2e_grams_total", tags).orElseThrow(), 1e-9);
            assertEquals(2.0, scrape.value("earshot_energy_reports_total", tags).orElseThrow(), "one + the final one");
            assertEquals(1800.0, scrape.value("earshot_work_audio_seconds_total", Map.of("instance", "d1")).orElseThrow());
            assertEquals(90.0, scrape.value("earshot_work_inferences_total", Map.of("instance", "d1")).orElseThrow());
            assertTrue(scrape.value("earshot_energy_power_watts", tags).isPresent());
            assertTrue(scrape.value("earshot_energy_joules_per_audio_hour", tags).isPresent());
        }
    }

    @Test
    void aTakenPortIsReportedByNumber() {
        try (MetricsEndpoint first = MetricsEndpoint.start("a", "127.0.0.1", 0)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> MetricsEndpoint.start("b", "127.0.0.1", first.port()));
            assertTrue(e.getMessage().contains(":" + first.port()), e.getMessage());
        }
    }

    @Test
    void withoutHttpStillCollects() {
        try (MetricsEndpoint endpoint = MetricsEndpoint.withoutHttp("ingest")) {
            assertEquals(-1, endpoint.port());
            assertTrue(endpoint.scrape().contains("jvm_memory_used_bytes"));
        }
    }

    @Test
    void parserReadsLabelsEscapesAndSpecialValues() {
        PrometheusScrape s = PrometheusScrape.parse("""
                # HELP x a thing
                # TYPE x gauge
                x{a="1",b="q\\"uote"} 2.5
                y NaN
                z{le="+Inf"} +Inf
                """);
        assertEquals(2.5, s.value("x", Map.of("b", "q\"uote")).orElseThrow());
        assertTrue(Double.isNaN(s.value("y", Map.of()).orElseThrow()));
        assertEquals(Double.POSITIVE_INFINITY, s.value("z", Map.of("le", "+Inf")).orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> PrometheusScrape.parse("9bad 1"));

        PrometheusScrape t = PrometheusScrape.parse("a_total 1\nh_seconds_bucket{le=\"1\"} 2\nh_seconds_max 3\n"
                + "kafka_consumer_x 4\nz 5\n");
        assertEquals(java.util.List.of("z"), t.undocumentedIn("`a_total`, `h_seconds` and `kafka_consumer_*`"));
        assertEquals(java.util.List.of("a_total", "z"), t.undocumentedIn("`h_seconds`, `kafka_consumer_*`, a_total"));
    }
}
