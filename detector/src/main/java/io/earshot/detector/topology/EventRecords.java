package io.earshot.detector.topology;

import io.earshot.detector.model.ModelManifest;
import io.earshot.detector.scoring.LabelTransition;
import io.earshot.detector.state.SourceStream;
import io.earshot.dsp.decode.EventTransition;
import io.earshot.dsp.decode.FrameGrid;
import io.earshot.protocol.EventIds;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.SoundEvent;
import java.util.Arrays;
import java.util.List;

/** Builds the published records (events, score blocks) of one source from decoder output. */
final class EventRecords {

    private final ModelManifest manifest;
    private final FrameGrid grid;

    EventRecords(ModelManifest manifest) {
        this.manifest = manifest;
        this.grid = manifest.grid();
    }

    static long captureMicros(SourceStream stream, long sample) {
        return stream.sampleZeroMicros() + Math.round(sample * 1_000_000.0 / stream.sampleRate());
    }

    SoundEvent event(String source, SourceStream stream, LabelTransition t) {
        EventTransition transition = t.transition();
        String name = manifest.labels().get(t.label());
        long onsetSample = grid.startSample(transition.onsetFrame());
        String id = EventIds.of(source, stream.streamId(), name, onsetSample);
        int rate = stream.sampleRate();
        if (transition instanceof EventTransition.Onset onset) {
            return new SoundEvent(id, source, stream.streamId(), name, SoundEvent.State.START, onsetSample, null, rate,
                    onsetSample / (double) rate, null, captureMicros(stream, onsetSample), null,
                    onset.meanScoreSoFar(), manifest.name(), manifest.version());
        }
        EventTransition.Offset offset = (EventTransition.Offset) transition;
        long offsetSample = grid.startSample(offset.endFrameExclusive());
        return new SoundEvent(id, source, stream.streamId(), name, SoundEvent.State.END, onsetSample, offsetSample, rate,
                onsetSample / (double) rate, offsetSample / (double) rate, captureMicros(stream, onsetSample),
                captureMicros(stream, offsetSample), offset.meanScore(), manifest.name(), manifest.version(), t.endReason());
    }

    FrameScores scores(String source, SourceStream stream, long firstFrame, float[][] rows) {
        List<float[]> copy = Arrays.asList(rows);
        return new FrameScores(source, stream.streamId(), stream.sampleRate(), firstFrame, grid.startSample(firstFrame),
                grid.hopSamples(), stream.sampleZeroMicros(), manifest.labels(), copy, manifest.name(), manifest.version());
    }
}
