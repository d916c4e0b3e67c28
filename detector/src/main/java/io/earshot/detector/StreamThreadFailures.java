package io.earshot.detector;

import io.earshot.detector.topology.IncompatibleStateException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the detector does when a stream thread dies.
 *
 * <p>A transaction the broker has already ended is not a reason to stop: after a broker restart the
 * coordinator may abort the detector's open transaction (older than its timeout) just before the
 * detector commits it, and Kafka Streams 4.4 treats the resulting {@code InvalidTxnStateException} as
 * fatal, where the same race the other way round (the producer fenced) is a task migration. Such
 * failures replace the thread: the new one restores its tasks from the changelogs and processes the
 * input after the last commit again, as after a migration, so exactly-once holds. A detector that keeps
 * failing that way (more than {@link #MAX_REPLACEMENTS} times within {@link #WINDOW}) stops instead
 * of spinning. Anything else (a broken model or store, state written with other settings) stops the
 * detector; bad input never gets here, it is dead-lettered.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);
    static final int MAX_REPLACEMENTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private final AtomicReference<Throwable> failure;
    private final LongSupplier nanoTime;
    private final Deque<Long> replacedAt = new ArrayDeque<>();

    StreamThreadFailures(AtomicReference<Throwable> failure, LongSupplier nanoTime) {
        this.failure = failure;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
        IncompatibleStateException incompatible = DetectorService.incompatibleState(e);
        if (incompatible != null) {
            failure.compareAndSet(null, incompatible);
            LOG.error("detector stopped: {}", incompatible.getMessage());
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        Throwable transactional = transactionEndedByBroker(e);
        if (transactional != null) {
            long now = nanoTime.getAsLong();
            while (!replacedAt.isEmpty() && now - replacedAt.peekFirst() > WINDOW.toNanos()) {
                replacedAt.removeFirst();
            }
            if (replacedAt.size() < MAX_REPLACEMENTS) {
                replacedAt.addLast(now);
                LOG.warn("detector stream thread failed on its transaction ({}: {}); replacing it, its tasks go on "
                        + "from their last commit ({} of at most {} replacements in {} min)",
                        transactional.getClass().getSimpleName(), transactional.getMessage(), replacedAt.size(),
                        MAX_REPLACEMENTS, WINDOW.toMinutes());
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            LOG.error("detector stream thread failed on its transaction {} times within {} min; stopping the detector",
                    MAX_REPLACEMENTS + 1, WINDOW.toMinutes(), e);
            failure.compareAndSet(null, e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        failure.compareAndSet(null, e);
        LOG.error("detector stream thread failed; stopping the detector", e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The cause that says the broker ended or fenced the thread's transaction, or null. */
    static Throwable transactionEndedByBroker(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidTxnStateException || t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException || t instanceof InvalidPidMappingException
                    || t instanceof TransactionAbortedException || t instanceof TimeoutException) {
                return t;
            }
        }
        return null;
    }
}
