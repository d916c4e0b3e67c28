package io.earshot.ingest.mic;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/** The test mixer: one capture line type in exactly one format (the served file's). */
final class WavCaptureMixer implements Mixer, PlainLine {

    private final Mixer.Info info;
    private final WavCaptureMixerProvider.Served served;
    private final DataLine.Info lineInfo;

    WavCaptureMixer(Mixer.Info info, WavCaptureMixerProvider.Served served) {
        this.info = info;
        this.served = served;
        AudioFormat f = served.format();
        this.lineInfo = new DataLine.Info(TargetDataLine.class, new AudioFormat[] {f}, f.getFrameSize() * 64, AudioSystem.NOT_SPECIFIED);
    }

    @Override
    public Mixer.Info getMixerInfo() {
        return info;
    }

    @Override
    public Line.Info[] getSourceLineInfo() {
        return new Line.Info[0];
    }

    @Override
    public Line.Info[] getTargetLineInfo() {
        return new Line.Info[] {lineInfo};
    }

    @Override
    public Line.Info[] getSourceLineInfo(Line.Info wanted) {
        return new Line.Info[0];
    }

    @Override
    public Line.Info[] getTargetLineInfo(Line.Info wanted) {
        return isLineSupported(wanted) ? new Line.Info[] {lineInfo} : new Line.Info[0];
    }

    @Override
    public boolean isLineSupported(Line.Info wanted) {
        return wanted.matches(lineInfo);
    }

    @Override
    public Line getLine(Line.Info wanted) {
        if (!isLineSupported(wanted)) {
            throw new IllegalArgumentException("line not supported: " + wanted);
        }
        return new WavTargetDataLine(lineInfo, served);
    }

    @Override
    public int getMaxLines(Line.Info wanted) {
        return isLineSupported(wanted) ? AudioSystem.NOT_SPECIFIED : 0;
    }

    @Override
    public Line[] getSourceLines() {
        return new Line[0];
    }

    @Override
    public Line[] getTargetLines() {
        return new Line[0];
    }

    @Override
    public void synchronize(Line[] lines, boolean maintainSync) {
        throw new IllegalArgumentException("synchronization not supported");
    }

    @Override
    public void unsynchronize(Line[] lines) {
        throw new IllegalArgumentException("synchronization not supported");
    }

    @Override
    public boolean isSynchronizationSupported(Line[] lines, boolean maintainSync) {
        return false;
    }

    @Override
    public Line.Info getLineInfo() {
        return new Line.Info(Mixer.class);
    }

    @Override
    public void open() {
    }

    @Override
    public void close() {
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}
