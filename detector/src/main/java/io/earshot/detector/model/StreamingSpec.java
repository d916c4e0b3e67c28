package io.earshot.detector.model;

/**
 * How a streaming model ({@code "kind": "streaming"}) is run, from the manifest's {@code streaming}
 * block: block by block, each block carrying the model's state from the one before.
 *
 * @param blockFrames     output frames per block (a block consumes blockFrames x time_pooling feature frames)
 * @param lookaheadFrames output frames the model looks ahead: output j is the decision for frame j - lookahead
 * @param stateInput      ONNX input tensor of the carried state, float32 [batch, stateSize]
 * @param stateOutput     ONNX output tensor of the state to carry on, float32 [batch, stateSize]
 * @param stateSize       floats of carried state per source
 */
public record StreamingSpec(int blockFrames, int lookaheadFrames, String stateInput, String stateOutput, int stateSize) {

    public StreamingSpec {
        if (blockFrames < 1 || lookaheadFrames < 0 || stateSize < 1) {
            throw new IllegalArgumentException("streaming block_frames must be >= 1, lookahead_frames >= 0 and state_size"
                    + " >= 1; got " + blockFrames + ", " + lookaheadFrames + ", " + stateSize);
        }
    }
}
