package io.earshot.dsp.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java decoder against the training side's (training/earshot_sed/decoding.py): 30 random cases of
 * 12 labels with random per-label rules, decoded by Python into the fixture
 * decode/python-decoding-cases.json (regenerate with the script next to it). Java must find exactly
 * the same events, so thresholds and durations tuned in Python mean the same in the pipeline.
 */
class PythonDecodingParityTest {

    @Test
    void javaFindsExactlyThePythonEvents() throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/decode/python-decoding-cases.json")) {
            doc = mapper.readTree(in);
        }
        List<String> labels = new ArrayList<>();
        doc.get("labels").forEach(l -> labels.add(l.asText()));
        FrameGrid grid = new FrameGrid(doc.get("frame_offset_samples").asLong(), doc.get("frame_hop_samples").asInt());
        int rate = doc.get("sample_rate").asInt();
        double hopSec = grid.hopSamples() / (double) rate;
        int total = 0;
        int caseNo = 0;
        for (JsonNode c : doc.get("cases")) {
            JsonNode probs = c.get("probs");
            JsonNode p = c.get("params");
            List<String> expected = new ArrayList<>();
            for (JsonNode e : c.get("events")) {
                expected.add(key(e.get(0).asDouble(), e.get(1).asDouble(), e.get(2).asText()));
            }
            List<String> actual = new ArrayList<>();
            for (int k = 0; k < labels.size(); k++) {
                String label = labels.get(k);
                float[] scores = new float[probs.size()];
                for (int t = 0; t < scores.length; t++) {
                    scores[t] = probs.get(t).get(k).decimalValue().floatValue();
                }
                DecoderConfig config = DecoderConfig.fromSeconds(p.get("threshold_on").get(label).asDouble(),
                        p.get("threshold_off").get(label).asDouble(), p.get("median_filter_frames").get(label).asInt(),
                        p.get("min_duration_s").get(label).asDouble(), p.get("max_gap_s").get(label).asDouble(), hopSec);
                for (DecodedEvent e : BatchEventDecoder.decode(scores, 0, config)) {
                    actual.add(key(grid.onsetSample(e) / (double) rate, grid.offsetSample(e) / (double) rate, label));
                }
            }
            expected.sort(null);
            actual.sort(null);
            assertEquals(expected, actual, "case " + caseNo);
            total += expected.size();
            caseNo++;
        }
        assertTrue(total > 100, "the fixture must exercise events, has " + total);
    }

    private static String key(double onsetSec, double offsetSec, String label) {
        return String.format("%s %06d %06d", label, Math.round(onsetSec * 1000), Math.round(offsetSec * 1000));
    }
}
