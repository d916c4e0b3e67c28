package io.earshot.detector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.protocol.FrameScores;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Frame scores of one stream, by output frame, checked to be published once each. */
final class ScoreTrack {

    final TreeMap<Long, float[]> byFrame = new TreeMap<>();

    static ScoreTrack of(List<FrameScores> blocks, String streamId) {
        ScoreTrack t = new ScoreTrack();
        for (FrameScores b : blocks) {
            if (!b.streamId().equals(streamId)) {
                continue;
            }
            for (int k = 0; k < b.scores().size(); k++) {
                float[] previous = t.byFrame.put(b.firstFrameIndex() + k, b.scores().get(k));
                assertTrue(previous == null, "frame " + (b.firstFrameIndex() + k) + " published twice");
            }
        }
        return t;
    }

    /** Asserts the same frames with scores equal within {@code tolerance}. */
    void assertMatches(ScoreTrack other, float tolerance, String what) {
        assertEquals(byFrame.keySet(), other.byFrame.keySet(), what + ": frames");
        for (Map.Entry<Long, float[]> e : byFrame.entrySet()) {
            float[] a = e.getValue();
            float[] b = other.byFrame.get(e.getKey());
            for (int l = 0; l < a.length; l++) {
                assertEquals(a[l], b[l], tolerance, what + ": frame " + e.getKey() + " label " + l);
            }
        }
    }

    /** Frames form one run without holes from {@code first}. */
    void assertContiguousFrom(long first, long last) {
        assertEquals(first, byFrame.firstKey());
        assertEquals(last, byFrame.lastKey());
        assertEquals(last - first + 1, byFrame.size());
    }
}
