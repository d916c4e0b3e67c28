package io.earshot.detector.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs windows through the model in batches. Callers submit windows as soon as they are ready and get
 * a future; worker threads take the first waiting window, keep collecting for at most {@code maxWait}
 * (or until {@code maxBatch} windows), and run each group of equal length as one batch.
 *
 * <p>Windows from every source, task and stream thread of the process share one queue, so windows
 * that become ready together go through the model together.
 */
public final class BatchingInferenceExecutor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingInferenceExecutor.class);

    private final WindowModel model;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BatchListener listener;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    private record Request(float[][] window, CompletableFuture<float[][]> result) {
    }

    public BatchingInferenceExecutor(WindowModel model, int workerThreads, int maxBatch, Duration maxWait,
                                     BatchListener listener) {
        if (workerThreads < 1 || maxBatch < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("need >= 1 worker, batch >= 1 and a non-negative wait; got "
                    + workerThreads + ", " + maxBatch + ", " + maxWait);
        }
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.listener = listener;
        for (int i = 0; i < workerThreads; i++) {
            Thread t = new Thread(this::work, "earshot-inference-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** Queues one window ({@code [t][mel]}); the future completes with {@code [outputFrame][label]}. */
    public CompletableFuture<float[][]> submit(float[][] window) {
        CompletableFuture<float[][]> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("inference executor is closed"));
            return result;
        }
        queue.add(new Request(window, result));
        return result;
    }

    private void work() {
        List<Request> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Request next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                runGrouped(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
    }

    /** Windows of different lengths (partial windows at stream end) cannot share a tensor. */
    private void runGrouped(List<Request> batch) {
        Map<Integer, List<Request>> byLength = new LinkedHashMap<>();
        for (Request r : batch) {
            byLength.computeIfAbsent(r.window().length, k -> new ArrayList<>()).add(r);
        }
        for (List<Request> group : byLength.values()) {
            float[][][] windows = new float[group.size()][][];
            for (int i = 0; i < windows.length; i++) {
                windows[i] = group.get(i).window();
            }
            try {
                long start = System.nanoTime();
                float[][][] out = model.run(windows);
                listener.batchDone(windows.length, System.nanoTime() - start);
                for (int i = 0; i < windows.length; i++) {
                    group.get(i).result().complete(out[i]);
                }
            } catch (RuntimeException e) {
                LOG.error("inference of a batch of {} windows failed: {}", windows.length, e.toString());
                for (Request r : group) {
                    r.result().completeExceptionally(e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Request r;
        while ((r = queue.poll()) != null) {
            r.result().completeExceptionally(new IllegalStateException("inference executor closed"));
        }
    }
}
