package io.earshot.detector.topology;

/**
 * The stored state of a source was written with another window, hop or model than this detector's: it
 * cannot be read with the new settings, so the detector stops at start with this one message instead of
 * misreading it.
 */
public final class IncompatibleStateException extends RuntimeException {

    IncompatibleStateException(String source, String applicationId, String stored, String current) {
        super("source " + source + " has an open stream whose state was written with other settings (stored: "
                + stored + "; now: " + current + "). Restart with the old --window-s/--hop-s/--model until the "
                + "sources have ended their streams, or use a new --application-id for the new settings"
                + (applicationId == null ? "" : " (this one is " + applicationId + ")"));
    }
}
