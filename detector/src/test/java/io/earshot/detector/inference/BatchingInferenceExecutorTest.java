package io.earshot.detector.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The executor's own contract, with a function standing in for the model: grouping, routing, failures. */
class BatchingInferenceExecutorTest {

    /** A window of {@code frames} frames whose every value is {@code id}. */
    private static float[][] window(int frames, float id) {
        float[][] w = new float[frames][2];
        for (float[] f : w) {
            f[0] = id;
            f[1] = id;
        }
        return w;
    }

    /** "Model": one output row per window, holding the window's id and the batch size it ran in. */
    private static float[][][] echo(float[][][] windows) {
        float[][][] out = new float[windows.length][1][];
        for (int b = 0; b < windows.length; b++) {
            out[b][0] = new float[] {windows[b][0][0], windows.length};
        }
        return out;
    }

    @Test
    void windowsReadyTogetherShareACallPerLengthAndGetTheirOwnResults() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        List<Integer> calls = new CopyOnWriteArrayList<>();
        WindowModel model = windows -> {
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);     // hold the first call so the rest queue up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            calls.add(windows.length * 1000 + windows[0].length);
            return echo(windows);
        };
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        try (BatchingInferenceExecutor<float[][], float[][]> executor = BatchingInferenceExecutor.forWindows(model, 1, 8, Duration.ofMillis(50),
                (n, nanos) -> batchSizes.add(n))) {
            CompletableFuture<float[][]> first = executor.submit(window(10, 0));
            assertTrue(entered.await(5, TimeUnit.SECONDS));   // the worker is now inside the first call
            List<CompletableFuture<float[][]>> later = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                later.add(executor.submit(window(i % 2 == 0 ? 10 : 7, i)));
            }
            release.countDown();
            assertEquals(0f, first.get(5, TimeUnit.SECONDS)[0][0]);
            for (int i = 1; i <= 5; i++) {
                float[] row = later.get(i - 1).get(5, TimeUnit.SECONDS)[0];
                assertEquals(i, row[0], "window " + i + " got its own result");
            }
            // windows 1, 3, 5 (7 frames) in one call, windows 2, 4 (10 frames) in another
            assertTrue(calls.containsAll(List.of(1010, 3007, 2010)), calls.toString());
            assertEquals(6, batchSizes.stream().mapToInt(Integer::intValue).sum());
        }
    }

    @Test
    void aFailingCallFailsItsWindowsAndTheExecutorGoesOn() throws Exception {
        WindowModel model = windows -> {
            if (windows[0][0][0] < 0) {
                throw new IllegalStateException("model exploded");
            }
            return echo(windows);
        };
        try (BatchingInferenceExecutor<float[][], float[][]> executor = BatchingInferenceExecutor.forWindows(model, 1, 1, Duration.ZERO,
                BatchListener.NONE)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> executor.submit(window(4, -1)).get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("model exploded"));
            assertEquals(2f, executor.submit(window(4, 2)).get(5, TimeUnit.SECONDS)[0][0]);
        }
    }

    @Test
    void anErrorInTheModelFailsItsWindowsAndTheWorkerSurvives() throws Exception {
        WindowModel model = windows -> {
            if (windows[0][0][0] < 0) {
                throw new OutOfMemoryError("simulated");
            }
            return echo(windows);
        };
        try (BatchingInferenceExecutor<float[][], float[][]> executor = BatchingInferenceExecutor.forWindows(model, 1, 1,
                Duration.ZERO, BatchListener.NONE)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> executor.submit(window(4, -1)).get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof OutOfMemoryError, e.toString());
            assertEquals(3f, executor.submit(window(4, 3)).get(5, TimeUnit.SECONDS)[0][0], "the worker goes on");
        }
    }

    @Test
    void closingFailsWhatIsStillQueued() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        WindowModel slow = windows -> {
            try {
                never.await(300, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return echo(windows);
        };
        BatchingInferenceExecutor<float[][], float[][]> executor = BatchingInferenceExecutor.forWindows(slow, 1, 1, Duration.ZERO, BatchListener.NONE);
        CompletableFuture<float[][]> running = executor.submit(window(4, 1));
        CompletableFuture<float[][]> queued = executor.submit(window(4, 2));
        executor.close();
        running.exceptionally(e -> null).get(5, TimeUnit.SECONDS);          // finished or failed, never left hanging
        assertThrows(ExecutionException.class, () -> queued.get(5, TimeUnit.SECONDS));
        assertThrows(ExecutionException.class, () -> executor.submit(window(4, 3)).get(1, TimeUnit.SECONDS));
    }
}
