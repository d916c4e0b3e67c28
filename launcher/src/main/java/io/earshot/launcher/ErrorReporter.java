package io.earshot.launcher;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into one clear line on stderr ({@code earshot detect: <what went wrong>}) and an exit
 * code; the stack trace follows only with {@code --verbose}.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    private final boolean verbose;

    ErrorReporter(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        Throwable cause = unwrap(ex);
        if (interrupted(cause)) {
            // Ctrl-C while the command was waiting: it has cleaned up; nothing else to say.
            err.println(cmd.getCommandSpec().qualifiedName() + ": interrupted");
            err.flush();
            return Main.EXIT_INTERRUPTED;
        }
        // A bad argument is the user's to fix from the message alone; anything else may need the trace.
        boolean usage = cause instanceof ConfigSources.ConfigException || cause instanceof IllegalArgumentException;
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + describe(cause)
                + (verbose || usage ? "" : " (--verbose shows the stack trace)"));
        if (verbose) {
            cause.printStackTrace(err);
        }
        err.flush();
        return usage ? Main.EXIT_USAGE : Main.EXIT_FAILURE;
    }

    /** Bad flags: the message, a suggestion for typos, and where to find help. */
    static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return Main.EXIT_USAGE;
    }

    private static boolean interrupted(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException || c instanceof org.apache.kafka.common.errors.InterruptException) {
                return true;
            }
        }
        return false;
    }

    /** The message of the failure itself, not of the wrappers around it. */
    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null
                && (current instanceof ExecutionException || current instanceof CompletionException
                || current instanceof InvocationTargetException
                || current.getMessage() == null || current.getMessage().equals(current.getCause().toString()))) {
            current = current.getCause();
        }
        return current;
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        // "...: " + e.getMessage() of a cause without message (a java.util.concurrent.TimeoutException
        // from an admin call to an unreachable broker) would end in a bare "null".
        Throwable cause = t.getCause();
        if (message.endsWith(": null") && cause != null && cause.getMessage() == null) {
            message = message.substring(0, message.length() - "null".length())
                    + (cause instanceof java.util.concurrent.TimeoutException ? "no answer in time (is Kafka reachable?)"
                    : cause.getClass().getSimpleName());
        }
        // One line: multi-line messages (e.g. from Kafka config validation) are folded.
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
