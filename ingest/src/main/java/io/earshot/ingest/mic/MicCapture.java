package io.earshot.ingest.mic;

import io.earshot.dsp.resample.Resampler;
import io.earshot.ingest.AudioChunkProducer;
import io.earshot.ingest.ChunkAssembler;
import io.earshot.ingest.IngestMetrics;
import io.earshot.ingest.StreamIds;
import io.earshot.ingest.StreamSequencer;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures a javax.sound capture line and publishes it as one source.
 *
 * <p>Two threads: the <b>capture</b> thread drains the line in real time (it never waits for Kafka),
 * converts to mono at the target rate and appends chunks to a bounded {@link AudioBacklog}; the
 * <b>sender</b> thread hands them to the producer, at most {@link MicConfig#maxInFlight()}
 * unacknowledged at a time. While Kafka is unreachable nothing is acknowledged, the sender stops
 * taking chunks and the backlog grows; when Kafka returns the backlog is sent in order. Past the
 * backlog bound the oldest audio is dropped (counted and logged) and the audio after the loss goes out
 * as a new stream, so every stream stays contiguous.
 *
 * <p>Capture times: sample n of the capture is stamped capture start + n / rate, on the device's clock.
 */
public final class MicCapture implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MicCapture.class);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final MicConfig config;
    private final AudioChunkProducer producer;
    private final boolean ownsProducer;
    private final IngestMetrics metrics;
    private final AudioBacklog backlog;
    private final Semaphore inFlight;

    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicBoolean gapPending = new AtomicBoolean();
    private final AtomicLong samplesCaptured = new AtomicLong();
    private final AtomicLong samplesAcked = new AtomicLong();
    private final AtomicLong samplesFailed = new AtomicLong();
    private final List<String> streamIds = Collections.synchronizedList(new ArrayList<>());
    private volatile long drainDeadline = Long.MAX_VALUE;
    private volatile boolean sending;
    private volatile boolean refusedWhileSending;
    private volatile long lastUnavailableLog;

    private Mixer mixer;
    private TargetDataLine line;
    private AudioFormat format;
    private Thread captureThread;
    private Thread senderThread;

    /** A capture with its own producer (closed when the capture ends). */
    public MicCapture(MicConfig config, Properties kafkaProperties, Topics topics, MeterRegistry registry) {
        this(config, new AudioChunkProducer(producerDefaults(kafkaProperties, config), topics.audio(), new IngestMetrics(registry)), true);
    }

    /**
     * Producer defaults for live capture (the caller's properties win): a refused send is retried by the
     * sender anyway, so it need not block long inside the producer (Kafka's default is 60 s), which keeps
     * Ctrl-C and the drain deadline responsive; and chunks already handed over may wait for the broker
     * as long as the backlog could (Kafka's default gives up after 120 s).
     */
    static Properties producerDefaults(Properties kafkaProperties, MicConfig config) {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        p.putIfAbsent("max.block.ms", "5000");
        p.putIfAbsent("delivery.timeout.ms", String.valueOf(Math.max(120_000L, Math.min(Integer.MAX_VALUE, config.backlog().toMillis()))));
        return p;
    }

    /** A capture sending through a producer the caller owns. */
    public MicCapture(MicConfig config, AudioChunkProducer producer) {
        this(config, producer, false);
    }

    private MicCapture(MicConfig config, AudioChunkProducer producer, boolean ownsProducer) {
        this.config = config;
        this.producer = producer;
        this.ownsProducer = ownsProducer;
        this.metrics = producer.metrics();
        this.backlog = new AudioBacklog(config.backlogSamples(), config.targetRate(), config.sourceId(), metrics);
        this.inFlight = new Semaphore(config.maxInFlight());
    }

    /**
     * Opens the device in a negotiated format and starts capturing and sending.
     *
     * @throws IllegalArgumentException when the device is not found or offers no usable format
     * @throws LineUnavailableException when the device is busy
     */
    public synchronized void start() throws LineUnavailableException {
        if (captureThread != null) {
            throw new IllegalStateException("already started");
        }
        try {
            mixer = CaptureDevices.find(config.deviceName());
            format = FormatNegotiator.choose(mixer, config.targetRate());
            line = (TargetDataLine) mixer.getLine(new DataLine.Info(TargetDataLine.class, format));
            // A device buffer of half a second rides out scheduling hiccups of the capture thread.
            int bufferBytes = Math.max(format.getFrameSize() * 1024, (int) (format.getSampleRate() / 2) * format.getFrameSize());
            line.open(format, bufferBytes);
        } catch (LineUnavailableException | RuntimeException e) {
            if (ownsProducer) {
                producer.close(java.time.Duration.ZERO);
            }
            throw e;
        }
        LOG.info("capturing '{}' as {} -> source {} at {} Hz mono, {} ms chunks, backlog {} s", mixer.getMixerInfo().getName(),
                format, config.sourceId(), config.targetRate(), config.chunkMillis(), config.backlog().toSeconds());
        captureThread = new Thread(this::captureLoop, "earshot-mic-capture");
        senderThread = new Thread(this::sendLoop, "earshot-mic-sender");
        line.start();
        captureThread.start();
        senderThread.start();
    }

    /** Stops capturing; what is buffered is still sent for up to {@link MicConfig#drainTimeout()}. */
    public void stop() {
        if (stopRequested.compareAndSet(false, true)) {
            drainDeadline = System.nanoTime() + config.drainTimeout().toNanos();
            TargetDataLine l = line;
            if (l != null) {
                l.stop(); // unblocks a pending read
            }
        }
    }

    /** Waits until capture and sending are over (after {@link #stop()} or when the line ends). */
    public MicSummary awaitTermination() throws InterruptedException {
        Thread c;
        Thread s;
        synchronized (this) {
            c = captureThread;
            s = senderThread;
        }
        if (c != null) {
            c.join();
        }
        if (s != null) {
            s.join();
        }
        return summary();
    }

    /** Starts and blocks until stopped from another thread (or the line ends). */
    public MicSummary run() throws LineUnavailableException, InterruptedException {
        start();
        return awaitTermination();
    }

    public MicSummary summary() {
        return new MicSummary(mixer == null ? String.valueOf(config.deviceName()) : mixer.getMixerInfo().getName(),
                String.valueOf(format), List.copyOf(streamIds), samplesCaptured.get(), samplesAcked.get(),
                backlog.droppedSamples() + samplesFailed.get(), config.targetRate(), backlog.peakSeconds(),
                config.backlog().toMillis() / 1000.0);
    }

    /** Audio waiting in the backlog, seconds. */
    public double backlogSeconds() {
        return backlog.fillSeconds();
    }

    public AudioFormat captureFormat() {
        return format;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        awaitTermination();
    }

    // ---- capture thread ----

    private void captureLoop() {
        PcmDecoder decoder = new PcmDecoder(format);
        Resampler resampler = new Resampler(Math.round(format.getSampleRate()), config.targetRate());
        ChunkAssembler assembler = new ChunkAssembler(config.chunkSamples());
        int framesPerRead = Math.max(64, Math.round(format.getSampleRate() * 0.02f)); // 20 ms
        byte[] bytes = new byte[framesPerRead * decoder.frameBytes()];
        float[] mono = new float[framesPerRead];
        long captureZeroMicros = -1;
        long emitted = 0;
        try {
            while (!stopRequested.get()) {
                int n = line.read(bytes, 0, bytes.length);
                if (n <= 0) {
                    LOG.info("capture line of '{}' stopped delivering audio", mixer.getMixerInfo().getName());
                    break;
                }
                int frames = decoder.decode(bytes, 0, n, mono);
                if (captureZeroMicros < 0) {
                    captureZeroMicros = nowMicros() - Math.round(frames * 1e6 / format.getSampleRate());
                }
                assembler.add(resampler.process(mono, 0, frames));
                while (assembler.hasChunk()) {
                    emitted = emit(assembler.takeChunk(), captureZeroMicros, emitted);
                }
            }
            if (captureZeroMicros >= 0) {
                assembler.add(resampler.flush());
                while (assembler.hasChunk()) {
                    emitted = emit(assembler.takeChunk(), captureZeroMicros, emitted);
                }
                float[] rest = assembler.takeRest();
                if (rest.length > 0) {
                    emit(rest, captureZeroMicros, emitted);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("capture from '{}' failed: {}", mixer.getMixerInfo().getName(), e.toString(), e);
        } finally {
            backlog.close();
            line.stop();
            line.close();
            stop(); // the sender drains with the usual deadline
        }
    }

    private long emit(float[] samples, long captureZeroMicros, long emitted) {
        long captureMicros = captureZeroMicros + Math.round(emitted * 1_000_000.0 / config.targetRate());
        backlog.add(new AudioBacklog.Block(samples, captureMicros, false));
        samplesCaptured.addAndGet(samples.length);
        return emitted + samples.length;
    }

    // ---- sender thread ----

    private void sendLoop() {
        StreamSequencer stream = null;
        try {
            while (true) {
                if (System.nanoTime() > drainDeadline && !backlog.drained()) {
                    backlog.dropAll("shutdown");
                    break;
                }
                AudioBacklog.Block block = backlog.poll(100, TimeUnit.MILLISECONDS);
                if (block == null) {
                    if (backlog.drained()) {
                        break;
                    }
                    continue;
                }
                boolean gap = gapPending.getAndSet(false) || block.afterGap();
                if (gap && stream != null) {
                    sendUntilAccepted(stream.end());
                    stream = null;
                }
                if (stream == null) {
                    stream = new StreamSequencer(StreamIds.newStreamId(Instant.now()), config.targetRate(), block.captureMicros());
                    streamIds.add(stream.streamId());
                    LOG.info("source {}: stream {} starts{}", config.sourceId(), stream.streamId(),
                            streamIds.size() > 1 ? " (after lost audio)" : "");
                }
                AudioChunk chunk = stream.peek(block.samples(), 0, block.samples().length);
                if (sendUntilAccepted(chunk)) {
                    stream.commit(chunk);
                } else {
                    samplesFailed.addAndGet(chunk.frameCount());
                    metrics.audioDropped(config.sourceId(), "shutdown", chunk.durationSeconds());
                }
            }
            if (stream != null) {
                sendUntilAccepted(stream.end());
            }
            awaitAcks();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (ownsProducer) {
                long left = Math.max(0, drainDeadline - System.nanoTime());
                producer.close(java.time.Duration.ofNanos(Math.min(left, TimeUnit.SECONDS.toNanos(30))));
            }
            MicSummary summary = summary();
            if (summary.samplesDropped() > 0) {
                LOG.warn("source {}: {}", config.sourceId(), summary);
            } else {
                LOG.info("source {}: {}", config.sourceId(), summary);
            }
        }
    }

    /**
     * Hands a chunk to the producer once a slot is free, retrying while Kafka refuses it outright
     * (e.g. no metadata yet); false only when the drain deadline passes first.
     */
    private boolean sendUntilAccepted(AudioChunk chunk) throws InterruptedException {
        while (true) {
            if (inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (trySend(chunk)) {
                    return true;
                }
                if (sleepUnlessPastDeadline(RETRY_NANOS)) {
                    continue;
                }
                return false;
            }
            if (System.nanoTime() > drainDeadline) {
                return false;
            }
        }
    }

    private boolean trySend(AudioChunk chunk) {
        refusedWhileSending = false;
        sending = true;
        try {
            producer.send(config.sourceId(), chunk, (metadata, error) -> acknowledged(chunk, error));
        } catch (RuntimeException e) {
            inFlight.release();
            logUnavailable(e);
            return false;
        } finally {
            sending = false;
        }
        // Refused before it was queued (the callback ran inside send): the chunk stays ours to retry.
        return !refusedWhileSending;
    }

    private void acknowledged(AudioChunk chunk, Exception error) {
        inFlight.release();
        if (error == null) {
            samplesAcked.addAndGet(chunk.frameCount());
            return;
        }
        if (sending && Thread.currentThread() == senderThread) {
            refusedWhileSending = true;
            logUnavailable(error);
            return;
        }
        samplesFailed.addAndGet(chunk.frameCount());
        metrics.audioDropped(config.sourceId(), "send_failed", chunk.durationSeconds());
        gapPending.set(true);
        LOG.warn("source {}: Kafka did not take chunk {} of stream {} ({} s of audio lost): {}", config.sourceId(),
                chunk.sequence(), chunk.streamId(), String.format("%.2f", chunk.durationSeconds()), error.getMessage());
    }

    private void awaitAcks() throws InterruptedException {
        while (!inFlight.tryAcquire(config.maxInFlight(), 100, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > drainDeadline) {
                LOG.warn("source {}: {} chunk(s) still unacknowledged at shutdown", config.sourceId(),
                        config.maxInFlight() - inFlight.availablePermits());
                return;
            }
        }
        inFlight.release(config.maxInFlight());
    }

    private boolean sleepUnlessPastDeadline(long nanos) throws InterruptedException {
        if (System.nanoTime() + nanos > drainDeadline) {
            return false;
        }
        TimeUnit.NANOSECONDS.sleep(nanos);
        return true;
    }

    private void logUnavailable(Exception e) {
        long now = System.nanoTime();
        if (now - lastUnavailableLog > TimeUnit.SECONDS.toNanos(10)) {
            lastUnavailableLog = now;
            LOG.warn("source {}: Kafka is not taking audio yet ({}); buffering up to {} s", config.sourceId(), e.getMessage(),
                    config.backlog().toSeconds());
        }
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
