package io.earshot.detector.scoring;

import io.earshot.dsp.decode.EventTransition;
import io.earshot.protocol.SoundEvent;

/**
 * One decoder decision, with the label it belongs to and, for an event the detector closed itself (at
 * a segment's end), why: null for onsets and for offsets the scores decided.
 */
public record LabelTransition(int label, EventTransition transition, SoundEvent.EndReason closedBecause) {

    /** The end reason an end record carries. */
    public SoundEvent.EndReason endReason() {
        return closedBecause != null ? closedBecause : SoundEvent.EndReason.OFFSET;
    }
}
