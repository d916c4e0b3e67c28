package io.earshot.detector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.detector.TestAudio;
import io.earshot.detector.TestModels;
import io.earshot.detector.model.OnnxModel;
import io.earshot.protocol.SoundEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model call that throws an Error, or never answers, costs its window or block only: it goes to the
 * dead-letter topic with reason inference_failed, naming the stream and samples, and the detector and
 * the source go on (for both modes, in the punctuation path as well as at a stream's end).
 */
class InferenceFailureTest {

    @TempDir
    Path tmp;

    private static String header(TestRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /**
     * @param most dead-lettered windows or blocks allowed: a stalled call also delays the calls queued
     *             behind it on the single inference thread, and those may time out too
     */
    private void check(OnnxModel model, String name, java.util.function.IntConsumer failing, Duration timeout,
                       String expectedDetail, int most) {
        float[] audio = TestAudio.scene(21.0);
        try (TopologyHarness h = new TopologyHarness(model, tmp.resolve(name),
                b -> b.inferenceTimeout(timeout), failing)) {
            h.sendAll("mic-1", TestAudio.chunks("s1", audio, 1600));
            List<TestRecord<String, byte[]>> failed = h.dlqLog.stream()
                    .filter(r -> header(r, "earshot.dlq.reason").equals("inference_failed")).toList();
            assertTrue(!failed.isEmpty() && failed.size() <= most, name + ": " + failed.size() + " dead-lettered");
            TestRecord<String, byte[]> r = failed.get(0);
            assertEquals("mic-1", r.key());
            assertEquals("s1", header(r, "earshot.dlq.stream"));
            assertTrue(header(r, "earshot.dlq.samples").matches("\\d+-\\d+"), header(r, "earshot.dlq.samples"));
            assertTrue(header(r, "earshot.dlq.detail").contains(expectedDetail), header(r, "earshot.dlq.detail"));
            // the source went on: its stream was scored to the end and its events closed
            long inputFrames = (audio.length - 1024) / 256 + 1;
            ScoreTrack.of(h.scoreLog, "s1").assertContiguousFrom(0, (inputFrames - 1) / 4);
            DetectorTopologyTest.assertEveryStartHasOneEnd(h.eventLog);
            assertEquals(failed.size(), h.registry.get("earshot.detector.chunks.rejected").tag("reason", "inference_failed")
                    .counter().count());
            SoundEvent last = h.eventLog.isEmpty() ? null : h.eventLog.get(h.eventLog.size() - 1);
            assertFalse(last != null && last.state() == SoundEvent.State.START, "no event left open");
        }
    }

    @Test
    void anErrorInTheInferenceThreadDeadLettersOneWindow() {
        try (OnnxModel model = TestModels.load()) {
            check(model, "windowed-error", call -> {
                if (call == 1) {
                    throw new OutOfMemoryError("simulated: native arena exhausted");
                }
            }, Duration.ofSeconds(10), "native arena exhausted", 4);    // the windows that shared the failing call
        }
    }

    @Test
    void aModelThatDoesNotAnswerInTimeDeadLettersOneBlockAndTheSourceGoesOn() {
        try (OnnxModel model = TestModels.loadStreaming()) {
            check(model, "streaming-stall", call -> {
                if (call == 3) {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, Duration.ofMillis(300), "did not finish within 300 ms", 4);
        }
    }

    @Test
    void anErrorInAStreamingBlockDeadLettersItAndTheModelStateStartsOver() {
        try (OnnxModel model = TestModels.loadStreaming()) {
            check(model, "streaming-error", call -> {
                if (call == 5) {
                    throw new StackOverflowError("simulated");
                }
            }, Duration.ofSeconds(10), "StackOverflowError", 1);
        }
    }
}
