package io.earshot.dsp.decode;

/** What a {@link StreamingEventDecoder} decided after a frame: an event started, or an event ended. */
public sealed interface EventTransition permits EventTransition.Onset, EventTransition.Offset {

    /** Frame the event starts at. */
    long onsetFrame();

    /**
     * An event is now certain (it has lasted minDurationFrames); it started at {@code frameIndex}.
     *
     * @param frameIndex       first active output frame of the event
     * @param meanScoreSoFar   mean input score over the event's frames decided so far
     */
    record Onset(long frameIndex, double meanScoreSoFar) implements EventTransition {
        @Override
        public long onsetFrame() {
            return frameIndex;
        }
    }

    /**
     * The event that started at {@code onsetFrame} is closed; always preceded by its {@link Onset}.
     *
     * @param onsetFrame        first active output frame
     * @param endFrameExclusive one past its last active output frame
     * @param meanScore         mean input score over [onsetFrame, endFrameExclusive)
     */
    record Offset(long onsetFrame, long endFrameExclusive, double meanScore) implements EventTransition {
        /** The closed event. */
        public DecodedEvent event() {
            return new DecodedEvent(onsetFrame, endFrameExclusive, meanScore);
        }
    }
}
