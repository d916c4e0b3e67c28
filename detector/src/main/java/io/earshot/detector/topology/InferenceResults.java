package io.earshot.detector.topology;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for inference, bounded: a model that hangs or dies costs the stream thread at most the timeout. */
final class InferenceResults {

    /** Why an inference result is not there: the model failed, threw an Error, or did not answer in time. */
    static final class Failed extends Exception {
        Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private InferenceResults() {
    }

    static <T> T await(CompletableFuture<T> future, Duration timeout) throws Failed {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while waiting for inference", e);
        } catch (ExecutionException e) {
            throw new Failed("inference failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new Failed("inference did not finish within " + timeout.toMillis() + " ms", e);
        }
    }
}
