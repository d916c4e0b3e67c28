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
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs model inputs (windows, or streaming blocks) through the model in batches. Callers submit an
 * input as soon as it is ready and get a future; worker threads take the first waiting input, keep
 * collecting for at most {@code maxWait} (or until {@code maxBatch} inputs), and run each group of
 * equal shape as one batch.
 *
 * <p>Inputs from every source, task and stream thread of the process share one queue, so inputs that
 * become ready together go through the model together. Every future completes: with the output, with
 * the model's exception, with an {@link Error} thrown by the model (the worker survives it), or, on
 * close, with "closed".
 *
 * @param <I> one model input (one row of a batch)
 * @param <O> the model output for that row
 */
public final class BatchingInferenceExecutor<I, O> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingInferenceExecutor.class);

    /** Runs equal-shaped inputs as one batch; returns one output per input, in order. */
    @FunctionalInterface
    public interface BatchModel<I, O> {
        List<O> run(List<I> inputs);
    }

    private final BatchModel<I, O> model;
    private final ToIntFunction<I> shape;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BatchListener listener;
    private final BlockingQueue<Request<I, O>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    private record Request<I, O>(I input, CompletableFuture<O> result) {
    }

    /**
     * @param shape inputs with equal shape values can share a batch (windows: their length in frames)
     */
    public BatchingInferenceExecutor(BatchModel<I, O> model, ToIntFunction<I> shape, int workerThreads, int maxBatch,
                                     Duration maxWait, BatchListener listener) {
        if (workerThreads < 1 || maxBatch < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("need >= 1 worker, batch >= 1 and a non-negative wait; got "
                    + workerThreads + ", " + maxBatch + ", " + maxWait);
        }
        this.model = model;
        this.shape = shape;
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

    /** An executor for analysis windows ({@code [t][mel]} in, {@code [outputFrame][label]} out). */
    public static BatchingInferenceExecutor<float[][], float[][]> forWindows(WindowModel model, int workerThreads,
                                                                          int maxBatch, Duration maxWait,
                                                                          BatchListener listener) {
        return new BatchingInferenceExecutor<>(windows -> List.of(model.run(windows.toArray(new float[0][][]))),
                w -> w.length, workerThreads, maxBatch, maxWait, listener);
    }

    /** Queues one input; the future completes with its output (or the failure). */
    public CompletableFuture<O> submit(I input) {
        CompletableFuture<O> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("inference executor is closed"));
            return result;
        }
        queue.add(new Request<>(input, result));
        return result;
    }

    private void work() {
        List<Request<I, O>> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Request<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Request<I, O> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
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
                // whatever happened, nothing taken from the queue is left waiting
                for (Request<I, O> r : batch) {
                    r.result().completeExceptionally(new IllegalStateException("inference worker stopped"));
                }
                batch.clear();
            }
        }
    }

    /** Inputs of different shapes (partial windows at stream end) cannot share a tensor. */
    private void runGrouped(List<Request<I, O>> batch) {
        Map<Integer, List<Request<I, O>>> byShape = new LinkedHashMap<>();
        for (Request<I, O> r : batch) {
            byShape.computeIfAbsent(shape.applyAsInt(r.input()), k -> new ArrayList<>()).add(r);
        }
        for (List<Request<I, O>> group : byShape.values()) {
            List<I> inputs = new ArrayList<>(group.size());
            for (Request<I, O> r : group) {
                inputs.add(r.input());
            }
            try {
                long start = System.nanoTime();
                List<O> out = model.run(inputs);
                listener.batchDone(inputs.size(), System.nanoTime() - start);
                if (out.size() != inputs.size()) {
                    throw new IllegalStateException("the model returned " + out.size() + " outputs for " + inputs.size() + " inputs");
                }
                for (int i = 0; i < inputs.size(); i++) {
                    group.get(i).result().complete(out.get(i));
                }
            } catch (RuntimeException | Error e) {
                // An Error (out of memory, a native library fault surfaced as one) fails this batch's inputs
                // like any model failure: the callers set them aside and the worker takes the next batch.
                LOG.error("inference of a batch of {} inputs failed: {}", inputs.size(), e.toString());
                for (Request<I, O> r : group) {
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
        Request<I, O> r;
        while ((r = queue.poll()) != null) {
            r.result().completeExceptionally(new IllegalStateException("inference executor closed"));
        }
    }
}
