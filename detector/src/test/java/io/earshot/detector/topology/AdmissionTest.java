package io.earshot.detector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.earshot.detector.state.HeldFrames;
import io.earshot.detector.state.SourceStream;
import io.earshot.dsp.features.FramerState;
import io.earshot.protocol.AudioChunk;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static final SourceStream AT_1600 = SourceStream.segment("s1", 16000, 0, 0, 4, 0, 64, null)
            .withFramer(new FramerState(false, 0, 0, new float[0]), HeldFrames.empty(0, 64), 1600, 4);

    private static AudioChunk chunk(String stream, long seq, long first, int samples, int rate) {
        return AudioChunk.ofMonoPcm16(stream, seq, first, 0, rate, new float[samples]);
    }

    @Test
    void classifiesChunksAgainstTheStream() {
        assertEquals(Admission.NEW_STREAM, Admission.of(chunk("s1", 0, 0, 160, 16000), null, 16000));
        assertEquals(Admission.NEW_STREAM, Admission.of(chunk("s2", 0, 0, 160, 16000), AT_1600, 16000));
        assertEquals(Admission.CONTINUE, Admission.of(chunk("s1", 5, 1600, 160, 16000), AT_1600, 16000));
        assertEquals(Admission.GAP, Admission.of(chunk("s1", 5, 1700, 160, 16000), AT_1600, 16000));
        assertEquals(Admission.DUPLICATE, Admission.of(chunk("s1", 4, 1440, 160, 16000), AT_1600, 16000));
        assertEquals(Admission.DUPLICATE, Admission.of(chunk("s1", 0, 0, 160, 16000), AT_1600, 16000));
        // a new sequence number with old samples, or an old sequence number with new samples
        assertEquals(Admission.BACK_IN_TIME, Admission.of(chunk("s1", 5, 1440, 160, 16000), AT_1600, 16000));
        assertEquals(Admission.BACK_IN_TIME, Admission.of(chunk("s1", 3, 1600, 160, 16000), AT_1600, 16000));
        assertEquals(Admission.UNSUPPORTED_FORMAT, Admission.of(chunk("s1", 5, 1600, 160, 44100), AT_1600, 16000));
    }

    @Test
    void aStreamThatEndedRestartsOnlyWithNewSamples() {
        SourceStream ended = AT_1600.closed(SourceStream.Status.ENDED, 5);
        assertEquals(Admission.DUPLICATE, Admission.of(AudioChunk.endOfStream("s1", 5, 1600, 0, 16000), ended, 16000));
        assertEquals(Admission.GAP, Admission.of(chunk("s1", 6, 1600, 160, 16000), ended, 16000));
    }

    @Test
    void anIdleStreamResumesWhereItStoppedOrAfterAGap() {
        SourceStream idle = AT_1600.closed(SourceStream.Status.IDLE, 4);
        assertEquals(Admission.RESUME, Admission.of(chunk("s1", 5, 1600, 160, 16000), idle, 16000));
        assertEquals(Admission.GAP, Admission.of(chunk("s1", 5, 1760, 160, 16000), idle, 16000));
        assertEquals(Admission.DUPLICATE, Admission.of(chunk("s1", 4, 1440, 160, 16000), idle, 16000));
        assertEquals(Admission.NEW_STREAM, Admission.of(chunk("s2", 0, 0, 160, 16000), idle, 16000));
    }
}
