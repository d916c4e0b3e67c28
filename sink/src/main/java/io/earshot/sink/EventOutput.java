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

    /** Makes everything accepted durable enough that the consumer may commit past it. */
    void flush() throws IOException;
}
