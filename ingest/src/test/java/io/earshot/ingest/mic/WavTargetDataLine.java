package io.earshot.ingest.mic;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;

/**
 * A capture line that plays back a WAV file's PCM bytes at the pace of a real device: frames become
 * readable as (wall time since start) x rate x speed, and {@link #read} blocks until the requested
 * frames are there, like a hardware line. Once the file is exhausted it reads 0 bytes (a stopped line).
 */
final class WavTargetDataLine implements TargetDataLine, PlainLine {

    private final DataLine.Info info;
    private final byte[] pcm;
    private final AudioFormat format;
    private final double speed;
    private final int frameSize;
    private volatile boolean open;
    private volatile boolean running;
    private long startNanos = -1;
    private long framesAtStart;
    private long position; // frames delivered
    private int bufferSize;

    WavTargetDataLine(DataLine.Info info, WavCaptureMixerProvider.Served served) {
        this.info = info;
        this.pcm = served.pcm();
        this.format = served.format();
        this.speed = served.speed();
        this.frameSize = format.getFrameSize();
    }

    @Override
    public void open(AudioFormat wanted, int bufferBytes) throws LineUnavailableException {
        if (!wanted.matches(format)) {
            throw new LineUnavailableException("format " + wanted + " not supported, only " + format);
        }
        bufferSize = bufferBytes;
        open = true;
    }

    @Override
    public void open(AudioFormat wanted) throws LineUnavailableException {
        open(wanted, frameSize * 4096);
    }

    @Override
    public void open() throws LineUnavailableException {
        open(format);
    }

    @Override
    public synchronized void start() {
        running = true;
        startNanos = System.nanoTime();
        framesAtStart = position;
        notifyAll();
    }

    @Override
    public synchronized void stop() {
        running = false;
        notifyAll();
    }

    @Override
    public void close() {
        stop();
        open = false;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
        int wantFrames = len / frameSize;
        int done = 0;
        while (done < wantFrames && running && open && position < totalFrames()) {
            int n = (int) Math.min(wantFrames - done, readyFrames() - position);
            if (n > 0) {
                System.arraycopy(pcm, (int) (position * frameSize), b, off + done * frameSize, n * frameSize);
                position += n;
                done += n;
            } else {
                try {
                    wait(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return done * frameSize;
    }

    @Override
    public void drain() {
    }

    @Override
    public void flush() {
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isActive() {
        return running;
    }

    @Override
    public AudioFormat getFormat() {
        return format;
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public synchronized int available() {
        if (!running) {
            return 0;
        }
        return (int) Math.min(bufferSize, (readyFrames() - position) * frameSize);
    }

    private long totalFrames() {
        return pcm.length / frameSize;
    }

    /** Frames the device would have captured by now: wall time since start x rate x speed, up to the file's end. */
    private long readyFrames() {
        long elapsed = System.nanoTime() - startNanos;
        return Math.min(totalFrames(), framesAtStart + (long) (elapsed / 1e9 * format.getSampleRate() * speed));
    }

    @Override
    public int getFramePosition() {
        return (int) position;
    }

    @Override
    public long getLongFramePosition() {
        return position;
    }

    @Override
    public long getMicrosecondPosition() {
        return (long) (position * 1e6 / format.getSampleRate());
    }

    @Override
    public float getLevel() {
        return AudioSystem.NOT_SPECIFIED;
    }

    @Override
    public Line.Info getLineInfo() {
        return info;
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
