package io.earshot.ingest.mic;

import javax.sound.sampled.Control;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;

/** The parts of {@link Line} the test mixer and its line share: no controls, and no line events. */
interface PlainLine extends Line {

    @Override
    default Control[] getControls() {
        return new Control[0];
    }

    @Override
    default boolean isControlSupported(Control.Type control) {
        return false;
    }

    @Override
    default Control getControl(Control.Type control) {
        throw new IllegalArgumentException("no controls");
    }

    @Override
    default void addLineListener(LineListener listener) {
    }

    @Override
    default void removeLineListener(LineListener listener) {
    }
}
