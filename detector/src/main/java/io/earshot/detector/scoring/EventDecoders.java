package io.earshot.detector.scoring;

import io.earshot.dsp.decode.DecoderConfig;
import io.earshot.dsp.decode.DecoderState;
import io.earshot.dsp.decode.EventTransition;
import io.earshot.dsp.decode.StreamingEventDecoder;
import io.earshot.protocol.SoundEvent;
import java.util.ArrayList;
import java.util.List;

/** One streaming event decoder per label of a source's segment: final frame scores in, transitions out. */
public final class EventDecoders {

    private final StreamingEventDecoder[] decoders;

    private EventDecoders(StreamingEventDecoder[] decoders) {
        this.decoders = decoders;
    }

    public static EventDecoders start(List<DecoderConfig> configs) {
        StreamingEventDecoder[] d = new StreamingEventDecoder[configs.size()];
        for (int l = 0; l < d.length; l++) {
            d[l] = new StreamingEventDecoder(configs.get(l));
        }
        return new EventDecoders(d);
    }

    /** Resumes from snapshots made with the same labels and median lengths. */
    public static EventDecoders restore(List<DecoderConfig> configs, List<DecoderState> states) {
        if (states.size() != configs.size()) {
            throw new IllegalArgumentException("saved decode state has " + states.size() + " labels, the model has "
                    + configs.size());
        }
        StreamingEventDecoder[] d = new StreamingEventDecoder[configs.size()];
        for (int l = 0; l < d.length; l++) {
            d[l] = StreamingEventDecoder.restore(configs.get(l), states.get(l));
        }
        return new EventDecoders(d);
    }

    public int labels() {
        return decoders.length;
    }

    /**
     * Decides on final output frames {@code firstFrame + k} ({@code rows[k][label]}); with a non-null
     * {@code closeBecause} the segment ends after them: the decoders are flushed and open events closed.
     */
    public ScoredBlock decide(long firstFrame, float[][] rows, SoundEvent.EndReason closeBecause) {
        List<LabelTransition> out = new ArrayList<>();
        for (int l = 0; l < decoders.length; l++) {
            for (int k = 0; k < rows.length; k++) {
                if (rows[k].length != decoders.length) {
                    throw new IllegalArgumentException("frame has " + rows[k].length + " scores, expected " + decoders.length);
                }
                for (EventTransition t : decoders[l].push(firstFrame + k, rows[k][l])) {
                    out.add(new LabelTransition(l, t, null));
                }
            }
            if (closeBecause != null) {
                // an offset only the flush decides belongs to an event still open when the segment ended
                for (EventTransition t : decoders[l].flush()) {
                    out.add(new LabelTransition(l, t, t instanceof EventTransition.Offset ? closeBecause : null));
                }
            }
        }
        return new ScoredBlock(firstFrame, rows, out);
    }

    public List<DecoderState> snapshot() {
        List<DecoderState> states = new ArrayList<>(decoders.length);
        for (StreamingEventDecoder d : decoders) {
            states.add(d.snapshot());
        }
        return states;
    }
}
