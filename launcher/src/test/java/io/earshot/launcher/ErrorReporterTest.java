package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorReporterTest {

    @Test
    void aWrapperQuotingACauseWithoutMessageNamesWhatHappenedInsteadOfNull() {
        // What DetectorService reports when the admin client gets no answer: its message ends in the
        // TimeoutException's null message.
        var e = new IllegalStateException("cannot create the detector's topics at localhost:19999: null",
                new TimeoutException());
        assertEquals("cannot create the detector's topics at localhost:19999: no answer in time (is Kafka reachable?)",
                ErrorReporter.describe(e));
        var other = new IllegalStateException("reading x: null", new NullPointerException());
        assertEquals("reading x: NullPointerException", ErrorReporter.describe(other));
    }

    @Test
    void ordinaryMessagesAreFoldedToOneLine() {
        assertEquals("bad value: x y", ErrorReporter.describe(new IllegalArgumentException("bad value:\n  x\ny")));
        assertEquals("TimeoutException", ErrorReporter.describe(new TimeoutException()));
    }
}
