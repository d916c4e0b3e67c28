package io.earshot.protocol;

import java.util.Objects;

/**
 * Outcome of decoding one audio record: either a valid chunk or the precise reason it was rejected.
 * Decoding never throws, so a bad record becomes data (for a dead-letter topic) instead of a crash.
 */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeResult.Rejected {

    /** A record that passed every check of the wire format. */
    record Decoded(AudioChunk chunk) implements DecodeResult {
        public Decoded {
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    /** A record that failed a check; the reason names the field and the offending value. */
    record Rejected(String reason) implements DecodeResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static DecodeResult rejected(String reason) {
        return new Rejected(reason);
    }

    default boolean isDecoded() {
        return this instanceof Decoded;
    }
}
