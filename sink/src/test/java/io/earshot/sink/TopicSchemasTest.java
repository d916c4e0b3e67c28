package io.earshot.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.protocol.EnergyReport;
import io.earshot.protocol.JsonSerde;
import io.earshot.telemetry.EnergyMeter;
import io.earshot.telemetry.EnergyReporter;
import io.earshot.telemetry.WorkCounters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
}
