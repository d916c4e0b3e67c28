package io.earshot.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong now = new AtomicLong();
    private final StreamThreadFailures handler = new StreamThreadFailures(failure, now::get);

    /** What Kafka Streams 4.4 raised when the restarted broker had aborted the transaction it was committing. */
    private static StreamsException commitOfAnAbortedTransaction() {
        return new StreamsException("Error encountered trying to commit a transaction",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));
    }

    @Test
    void aTransactionTheBrokerEndedReplacesTheThreadAndKeepsTheDetectorRunning() {
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(commitOfAnAbortedTransaction()));
        assertNull(failure.get(), "not a failure of the detector");
    }

    @Test
    void aDetectorThatKeepsFailingThatWayStopsInsteadOfSpinning() {
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) {
            now.addAndGet(1_000_000_000L);
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(commitOfAnAbortedTransaction()));
        }
        StreamsException last = commitOfAnAbortedTransaction();
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, handler.handle(last));
        assertSame(last, failure.get());
    }

    @Test
    void replacementsOlderThanTheWindowNoLongerCount() {
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) {
            handler.handle(commitOfAnAbortedTransaction());
        }
        now.addAndGet(StreamThreadFailures.WINDOW.toNanos() + 1);
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, handler.handle(commitOfAnAbortedTransaction()));
        assertNull(failure.get());
    }

    @Test
    void anythingElseStopsTheDetectorWithItsCause() {
        IllegalStateException broken = new IllegalStateException("model output has 11 labels, manifest 12");
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, handler.handle(new StreamsException(broken)));
        assertSame(broken, failure.get().getCause());

        // state written with other settings: DetectorServiceRestartTest (restart with a smaller hop)
    }
}
