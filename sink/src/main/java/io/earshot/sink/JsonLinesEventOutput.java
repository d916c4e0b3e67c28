package io.earshot.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every event record (start and end) as one compact JSON object per line, in the schema of
 * earshot.events. A record whose (event_id, state) is already in the file is skipped, so
 * re-consumed records after a restart are not written twice.
 */
final class JsonLinesEventOutput implements EventOutput {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesEventOutput.class);

    private final AppendOnlyLinesFile file;
    private final Set<String> written = new HashSet<>();

    JsonLinesEventOutput(Path path) throws IOException {
        int[] lineNo = {0};
        this.file = AppendOnlyLinesFile.open(path, line -> {
            lineNo[0]++;
            if (line.isBlank()) {
                return;
            }
            try {
                JsonNode node = JsonSerde.MAPPER.readTree(line);
                written.add(key(node.path("event_id").asText(), node.path("state").asText()));
            } catch (JsonProcessingException e) {
                LOG.warn("{}:{} is not a JSON object, ignored when deduplicating: {}", path, lineNo[0],
                        e.getOriginalMessage());
            }
        });
    }

    private static String key(String eventId, String state) {
        return eventId + '/' + state;
    }

    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public Outcome accept(SoundEvent event) throws IOException {
        String state = event.state() == SoundEvent.State.END ? "end" : "start";
        if (!written.add(key(event.eventId(), state))) {
            return Outcome.DUPLICATE;
        }
        file.append(JsonSerde.MAPPER.writeValueAsString(event));
        return Outcome.WRITTEN;
    }

    @Override
    public void flush() throws IOException {
        file.flush();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
