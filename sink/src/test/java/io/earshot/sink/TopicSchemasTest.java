package io.earshot.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.dsp.levels.LevelMeter;
import io.earshot.protocol.EnergyReport;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SourceLevels;
import io.earshot.telemetry.EnergyMeter;
import io.earshot.telemetry.EnergyReporter;
import io.earshot.telemetry.WorkCounters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/schemas/*.json against records written by the real serializers: every record validates, the
 * schema names exactly the fields the code writes, and broken records are caught.
 */
class TopicSchemasTest {

    private static final Path SCHEMAS = Path.of(System.getProperty("earshot.repo.root", ".."), "docs", "schemas");

    private static JsonNode schema(String name) throws IOException {
        return JsonSerde.MAPPER.readTree(SCHEMAS.resolve(name).toFile());
    }

    private static JsonNode json(Object record) throws IOException {
        return JsonSerde.MAPPER.readTree(JsonSerde.MAPPER.writeValueAsBytes(record));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static void assertValid(JsonNode schema, JsonNode record) {
        List<String> errors = TinyJsonSchema.validate(schema, record);
        assertTrue(errors.isEmpty(), errors + " in " + record);
        assertEquals(fieldNames(schema.get("properties")), fieldNames(record),
                "the schema must document exactly the fields the code writes");
    }

    @Test
    void soundEventsMatchTheirSchema() throws IOException {
        JsonNode schema = schema("sound-event.schema.json");
        JsonNode start = json(Records.start("street-01.wav", "Speech", 197_520, 0.91));
        JsonNode end = json(Records.end("street-01.wav", "Speech", 197_520, 224_000, 0.88));
        assertValid(schema, start);
        assertValid(schema, end);

        ObjectNode endWithoutOffset = end.deepCopy();
        endWithoutOffset.putNull("offset_s");
        assertFalse(TinyJsonSchema.validate(schema, endWithoutOffset).isEmpty(), "an end record needs its offset");
        ObjectNode badState = start.deepCopy();
        badState.put("state", "middle");
        assertFalse(TinyJsonSchema.validate(schema, badState).isEmpty());
        ObjectNode missing = start.deepCopy();
        missing.remove("label");
        assertFalse(TinyJsonSchema.validate(schema, missing).isEmpty());
    }

    @Test
    void frameScoresMatchTheirSchema() throws IOException {
        JsonNode schema = schema("frame-scores.schema.json");
        JsonNode block = json(Records.scores("kitchen.wav", 7, 3));
        assertValid(schema, block);
        ObjectNode textScore = block.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) textScore.get("scores").get(0)).set(0,
                JsonSerde.MAPPER.getNodeFactory().textNode("high"));
        assertFalse(TinyJsonSchema.validate(schema, textScore).isEmpty());
    }

    @Test
    void energyReportsFromTheRealReporterMatchTheirSchema() throws IOException {
        JsonNode schema = schema("energy-report.schema.json");
        WorkCounters work = new WorkCounters();
        EnergyMeter meter = new io.earshot.telemetry.CpuTimeEnergyModel(10, 0.375);
        EnergyReporter reporter = new EnergyReporter("det-1", 480, meter, work, Clock.systemUTC());
        EnergyReport idle = reporter.next();
        work.addAudioSeconds(10);
        work.addInferences(2);
        EnergyReport busy = reporter.next();
        assertValid(schema, json(idle));
        assertValid(schema, json(busy));
        assertTrue(json(idle).get("joules_per_audio_hour").isNull());

        ObjectNode badMethod = json(busy).deepCopy();
        badMethod.put("method", "guess");
        assertFalse(TinyJsonSchema.validate(schema, badMethod).isEmpty());
    }

    @Test
    void sourceLevelsFromTheRealMeterMatchTheirSchema() throws IOException {
        JsonNode schema = schema("source-levels.schema.json");
        // The detector's meter settings (4096-sample intervals, 1024-sample columns, 32 bands, 50-8000 Hz).
        LevelMeter meter = new LevelMeter(16_000, 4096, 1024, 32, 50, 8000);
        float[] tone = new float[8192];
        for (int i = 4096; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 16_000.0));
        }
        List<LevelMeter.Interval> intervals = meter.push(0, tone);
        for (LevelMeter.Interval iv : intervals) {
            SourceLevels levels = new SourceLevels("kitchen.wav", "stream-1", 16_000, iv.startSample(), iv.endSample(),
                    Records.T0_MICROS + iv.startSample() * 1_000_000L / 16_000, iv.rmsDbfs(), iv.peakDbfs(), 1024, 50,
                    8000, Arrays.asList(iv.columns()));
            assertValid(schema, json(levels));
        }
        assertEquals(-120.0, json(new SourceLevels("s", "t", 16_000, 0, 4096, 0, intervals.get(0).rmsDbfs(), -120, 1024,
                50, 8000, Arrays.asList(intervals.get(0).columns()))).get("rms_dbfs").asDouble(), "silence");
        ObjectNode fractional = json(new SourceLevels("s", "t", 16_000, 0, 4096, 0, -9, -6, 1024, 50, 8000,
                Arrays.asList(intervals.get(1).columns()))).deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) fractional.get("bands_db").get(0)).set(0,
                JsonSerde.MAPPER.getNodeFactory().numberNode(-6.5));
        assertFalse(TinyJsonSchema.validate(schema, fractional).isEmpty(), "bands are whole dB");
        ObjectNode loud = json(new SourceLevels("s", "t", 16_000, 0, 4096, 0, 3.0, 0, 1024, 50, 8000,
                Arrays.asList(intervals.get(1).columns()))).deepCopy();
        assertFalse(TinyJsonSchema.validate(schema, loud).isEmpty(), "dBFS is at most 0");
    }
}
