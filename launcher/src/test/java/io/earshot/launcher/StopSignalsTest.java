package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StopSignalsTest {

    /** Raises SIGTERM at this very JVM: with the handlers in place it asks to stop instead of exiting. */
    @Test
    void aSignalAsksTheCommandToStopInsteadOfShuttingTheJvmDown() throws Exception {
        CountDownLatch stopRequested = new CountDownLatch(1);
        StopSignals signals = StopSignals.install(stopRequested::countDown);
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Object term = signalClass.getConstructor(String.class).newInstance("TERM");
            signalClass.getMethod("raise", signalClass).invoke(null, term);
            assertTrue(stopRequested.await(10, TimeUnit.SECONDS), "the stop action ran");
        } finally {
            signals.close();
        }
        // Reaching this line means the JVM did not start shutting down.
    }
}
