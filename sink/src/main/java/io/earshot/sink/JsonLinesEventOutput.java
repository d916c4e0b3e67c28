package io.earshot.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every event record (start and end) as one compact JSON object per line, in the schema of
 * earshot.events. A record whose (event_id, state) is already in the file is skipped, so re-consumed
 * records after a restart are not written twice; the ids held in memory are bounded per stream and in
 * all ({@link EventDedupe}).
 */
final class JsonLinesEventOutput implements EventOutput {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesEventOutput.class);

    private final AppendOnlyLinesFile file;
    private final EventDedupe written;

    JsonLinesEventOutput(Path path) throws IOException {
        this(path, EventDedupe.Limits.DEFAULT);
    }

    JsonLinesEventOutput(Path path, EventDedupe.Limits limits) throws IOException {
        this.written = new EventDedupe(limits, this::rowsOf);
        int[] lineNo = {0};
        this.file = AppendOnlyLinesFile.open(path, line -> {
            Line l = Line.parse(line, path, ++lineNo[0]);
            if (l != null) {
                written.load(l.stream(), l.key(), l.orderKey(), l.onsetSample());
            }
        });
    }

    /** What the dedupe needs of one line. */
    private record Line(String stream, String key, String orderKey, long onsetSample) {
        static Line parse(String line, Path path, int lineNo) {
            if (line.isBlank()) {
                return null;
            }
            try {
                JsonNode n = JsonSerde.MAPPER.readTree(line);
                String state = n.path("state").asText();
                return new Line(streamKey(n.path("source_id").asText(), n.path("stream_id").asText()),
                        JsonLinesEventOutput.key(n.path("event_id").asText(), state), n.path("label").asText() + '/' + state,
                        n.path("onset_sample").asLong(Long.MIN_VALUE));
            } catch (JsonProcessingException e) {
                LOG.warn("{}:{} is not a JSON object, ignored when deduplicating: {}", path, lineNo,
                        e.getOriginalMessage());
                return null;
            }
        }
    }

    private static String streamKey(String source, String stream) {
        return source + '\0' + stream;
    }

    private static String key(String eventId, String state) {
        return eventId + '/' + state;
    }

    private void rowsOf(String stream, EventDedupe.Row out) throws IOException {
        file.flush();
        int[] lineNo = {0};
        AppendOnlyLinesFile.readLines(file.path(), line -> {
            Line l = Line.parse(line, file.path(), ++lineNo[0]);
            if (l != null && l.stream().equals(stream)) {
                out.accept(l.key(), l.orderKey(), l.onsetSample());
            }
        });
    }

    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public Outcome accept(SoundEvent event) throws IOException {
        String state = event.state() == SoundEvent.State.END ? "end" : "start";
        if (!written.firstTime(streamKey(event.sourceId(), event.streamId()), key(event.eventId(), state),
                event.label() + '/' + state, event.onsetSample())) {
            return Outcome.DUPLICATE;
        }
        file.append(JsonSerde.MAPPER.writeValueAsString(event));
        return Outcome.WRITTEN;
    }

    EventDedupe dedupe() {
        return written;
    }

    @Override
    public void flush() throws IOException {
        file.flush();
    }

    @Override
    public void force() throws IOException {
        file.force();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
