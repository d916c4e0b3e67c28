package io.earshot.dsp.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * Offline decoding of one class's whole score sequence, written as the plain definition:
 * <ol>
 *   <li>median-filter the scores ({@link MedianFilter}, nearest edges);</li>
 *   <li>hysteresis: frame t is active if its filtered score is > thresholdOn, or if frame t - 1 was
 *       active and its filtered score is > thresholdOff (strict, as in training/earshot_sed/decoding.py);</li>
 *   <li>runs of active frames are segments; segments separated by at most maxGapFrames inactive
 *       frames are merged (the gap becomes part of the event);</li>
 *   <li>merged segments shorter than minDurationFrames are dropped;</li>
 *   <li>confidence = mean of the unfiltered scores over the event's frames.</li>
 * </ol>
 * {@link StreamingEventDecoder} produces exactly the same events frame by frame.
 */
public final class BatchEventDecoder {

    private BatchEventDecoder() {
    }

    /** Events of {@code scores}, whose element 0 is output frame {@code firstFrameIndex}. */
    public static List<DecodedEvent> decode(float[] scores, long firstFrameIndex, DecoderConfig config) {
        float[] smoothed = MedianFilter.apply(scores, config.medianFrames());
        List<long[]> segments = new ArrayList<>();
        boolean active = false;
        for (int t = 0; t < smoothed.length; t++) {
            boolean now = active ? config.keepsActivity(smoothed[t]) : config.startsActivity(smoothed[t]);
            if (now && !active) {
                segments.add(new long[] {t, t + 1});
            } else if (now) {
                segments.get(segments.size() - 1)[1] = t + 1;
            }
            active = now;
        }
        List<long[]> merged = new ArrayList<>();
        for (long[] s : segments) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && s[0] - last[1] <= config.maxGapFrames()) {
                last[1] = s[1];
            } else {
                merged.add(s.clone());
            }
        }
        List<DecodedEvent> events = new ArrayList<>();
        for (long[] s : merged) {
            if (s[1] - s[0] < config.minDurationFrames()) {
                continue;
            }
            double sum = 0.0;
            for (int t = (int) s[0]; t < s[1]; t++) {
                sum += scores[t];
            }
            events.add(new DecodedEvent(firstFrameIndex + s[0], firstFrameIndex + s[1], sum / (s[1] - s[0])));
        }
        return events;
    }
}
