package io.earshot.sink;

import io.earshot.protocol.SoundEvent;
import java.io.Closeable;
import java.io.IOException;

/** A destination for event lifecycle records. Called from the sink's single consumer thread. */
interface EventOutput extends Closeable {

    /** Short name for metrics and logs (console, jsonl, tsv). */
    String name();

    /** What became of one record. */
    enum Outcome { WRITTEN, DUPLICATE, IGNORED }

    /** Takes one record: written, skipped as a duplicate of one already written, or not for this output. */
    Outcome accept(SoundEvent event) throws IOException;

    /** Hands everything accepted to the operating system (a crash of the process then loses nothing). */
    void flush() throws IOException;

    /**
     * Makes everything accepted durable on disk ({@code FileChannel.force}), so a crash of the machine
     * loses nothing either; called before the consumer commits past it. Outputs without files flush.
     */
    default void force() throws IOException {
        flush();
    }

    /**
     * Called from another thread when the sink is stopping: a flush blocked on an external system (a broker
     * that is down) should give up by throwing, so that nothing unwritten is committed.
     */
    default void abandon() {
    }
}
