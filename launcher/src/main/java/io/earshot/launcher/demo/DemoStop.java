package io.earshot.launcher.demo;

import io.earshot.ingest.replay.ReplayJob;

/**
 * A stop request (Ctrl-C) for a running demo. During the replay it asks the replay job to close its
 * streams, which ends cleanly; while the broker starts it is only noted (an interrupted Kafka server
 * start-up fails loudly) and acted on right after; at any other time it interrupts the demo's thread,
 * whose waits then throw and whose finally blocks stop the services.
 */
final class DemoStop {

    private final Thread runner;
    private volatile boolean requested;
    private volatile boolean interruptible;
    private volatile ReplayJob replay;

    DemoStop(Thread runner) {
        this.runner = runner;
    }

    void request() {
        requested = true;
        ReplayJob job = replay;
        if (job != null) {
            job.stop();
        } else if (interruptible) {
            runner.interrupt();
        }
    }

    /** From now on a stop request interrupts the demo's thread; throws if one came before. */
    void allowInterrupts() throws InterruptedException {
        interruptible = true;
        throwIfRequested();
    }

    /** Runs the replay so that a stop request ends it through {@link ReplayJob#stop()}. */
    io.earshot.ingest.replay.ReplaySummary replay(ReplayJob job) throws InterruptedException {
        replay = job;
        try {
            if (requested) {
                job.stop();
            }
            return job.run();
        } finally {
            replay = null;
            throwIfRequested();
        }
    }

    void throwIfRequested() throws InterruptedException {
        if (requested) {
            throw new InterruptedException("stop requested");
        }
    }
}
