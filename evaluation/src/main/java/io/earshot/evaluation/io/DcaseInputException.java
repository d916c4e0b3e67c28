package io.earshot.evaluation.io;

/**
 * Bad evaluation input: a malformed row, an unknown file or class, an impossible time.
 * The message always names the offending file and, where there is one, the line.
 */
public final class DcaseInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DcaseInputException(String message) {
        super(message);
    }

    /** An error located at {@code source:line}; line numbers start at 1. */
    public static DcaseInputException at(String source, int line, String problem) {
        return new DcaseInputException(source + ":" + line + ": " + problem);
    }

    public static DcaseInputException in(String source, String problem) {
        return new DcaseInputException(source + ": " + problem);
    }
}
