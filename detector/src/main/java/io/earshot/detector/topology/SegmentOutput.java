package io.earshot.detector.topology;

import io.earshot.detector.scoring.ScoredBlock;
import io.earshot.detector.state.SourceStream;

/** Where an analysis mode hands what it decided: final scores and events, and inference it gave up on. */
interface SegmentOutput {

    /** Publishes the block's scores and events; {@code decidingSample} is the newest sample they depend on. */
    void scored(String source, SourceStream stream, ScoredBlock block, long decidingSample);

    /**
     * A window or block whose inference failed (or did not finish in time), covering samples
     * [firstSample, endSample): it goes to the dead-letter topic with the cause; its frames count as silence.
     */
    void inferenceFailed(String source, SourceStream stream, String what, long firstSample, long endSample, Throwable cause);
}
