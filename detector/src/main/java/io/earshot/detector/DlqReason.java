package io.earshot.detector;

/** Why an audio record went to the dead-letter topic; {@link #code()} is the header and metric tag value. */
public enum DlqReason {
    /** The bytes are not a valid audio chunk (or the key is missing). */
    MALFORMED("malformed"),
    /** The wire format version is not one this detector reads. */
    UNKNOWN_VERSION("unknown_version"),
    /** A valid chunk the model cannot use (sample rate other than the model's). */
    UNSUPPORTED_FORMAT("unsupported_format"),
    /** A chunk whose samples lie before what the stream already delivered. */
    BACK_IN_TIME("back_in_time"),
    /** A valid chunk whose processing failed unexpectedly (a defect; the stream goes on without it). */
    PROCESSING_FAILED("processing_failed"),
    /**
     * Not an audio record: a window or block of a source whose inference failed or timed out; the record
     * has an empty value and names the stream and samples in headers. The source goes on.
     */
    INFERENCE_FAILED("inference_failed");

    private final String code;

    DlqReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
