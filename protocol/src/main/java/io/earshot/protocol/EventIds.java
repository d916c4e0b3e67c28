package io.earshot.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic event ids: the same event detected again after a restart gets the same id. */
public final class EventIds {

    private EventIds() {
    }

    /** 32 hex digits of SHA-256 over source, stream, label and onset sample, separated by NUL bytes. */
    public static String of(String sourceId, String streamId, String label, long onsetSample) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String joined = sourceId + '\0' + streamId + '\0' + label + '\0' + onsetSample;
            byte[] digest = sha.digest(joined.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
