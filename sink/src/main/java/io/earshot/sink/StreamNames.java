package io.earshot.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.evaluation.io.DcaseFileNames;
import io.earshot.protocol.JsonSerde;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DCASE file name of each stream an output has written, kept in an index file next to the output
 * ({@code events.tsv.streams}, {@code DIR/.streams}) so a restarted sink names every stream as before.
 * The first stream of a source that the output writes is named after the source; every later one gets
 * {@code <source>~<stream id>} ({@link DcaseFileNames#recording}).
 *
 * <p>One JSON object per line: {@code {"file": ..., "source_id": ..., "stream_id": ...}}, appended before
 * the first row that uses the name and forced to disk with the output before each commit.
 *
 * <p>Memory is bounded: the names of at most {@link #DEFAULT_MAX_SOURCES} sources are held (least
 * recently used let go); a {@link SeenFilter} of sources tells a brand-new source (first stream, no
 * look-up) from one whose streams must be read back from the index file.
 */
final class StreamNames implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamNames.class);
    static final int DEFAULT_MAX_SOURCES = 10_000;

    /** The name of one stream; {@code created} is true on the call that named it. */
    record Name(String file, boolean created) {
    }

    private final AppendOnlyLinesFile file;
    private final int maxSources;
    private final SeenFilter sources;
    /** source -> (stream -> name), least recently used source first. */
    private final LinkedHashMap<String, Map<String, String>> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long lookups;

    private StreamNames(AppendOnlyLinesFile file, int maxSources, SeenFilter sources) {
        this.file = file;
        this.maxSources = maxSources;
        this.sources = sources;
    }

    static StreamNames open(Path path, int maxSources) throws IOException {
        SeenFilter seen = new SeenFilter();
        int[] lineNo = {0};
        AppendOnlyLinesFile file = AppendOnlyLinesFile.open(path, line -> {
            lineNo[0]++;
            Entry e = Entry.parse(line, path, lineNo[0]);
            if (e != null) {
                seen.add(e.source());
            }
        });
        return new StreamNames(file, maxSources, seen);
    }

    /** The file name of a stream, naming it (durably) if it is new. */
    Name of(String sourceId, String streamId) throws IOException {
        Map<String, String> streams = cache.get(sourceId);
        if (streams == null) {
            streams = new HashMap<>();
            if (sources.mightContain(sourceId)) {
                lookups++;
                Map<String, String> found = streams;
                file.flush();
                int[] lineNo = {0};
                AppendOnlyLinesFile.readLines(file.path(), line -> {
                    Entry e = Entry.parse(line, file.path(), ++lineNo[0]);
                    if (e != null && e.source().equals(sourceId)) {
                        found.put(e.stream(), e.file());
                    }
                });
            }
            cache.put(sourceId, streams);
            while (cache.size() > maxSources) {
                cache.remove(cache.keySet().iterator().next());
            }
        }
        String known = streams.get(streamId);
        if (known != null) {
            return new Name(known, false);
        }
        String name = DcaseFileNames.recording(sourceId, streamId, streams.isEmpty());
        ObjectNode line = JsonSerde.MAPPER.createObjectNode().put("file", name).put("source_id", sourceId)
                .put("stream_id", streamId);
        // Written before any row that uses the name and forced with the outputs before each commit. Should a
        // crash lose the line, the records that used it were not committed: consumed again in the same order,
        // they get the same name (it depends only on the source, the stream and whether it came first).
        file.append(JsonSerde.MAPPER.writeValueAsString(line));
        sources.add(sourceId);
        streams.put(streamId, name);
        if (streams.size() > 1) {
            LOG.info("{}: a new stream {} of source {} (stream no. {} of it here): its rows are named {}", file.path(),
                    streamId, sourceId, streams.size(), name);
        }
        return new Name(name, true);
    }

    /** Sources whose names are held in memory now. */
    int sourcesHeld() {
        return cache.size();
    }

    /** Times the index file was read back for a source not in memory. */
    long lookups() {
        return lookups;
    }

    void force() throws IOException {
        file.force();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private record Entry(String file, String source, String stream) {
        static Entry parse(String line, Path path, int lineNo) {
            if (line.isBlank()) {
                return null;
            }
            try {
                JsonNode n = JsonSerde.MAPPER.readTree(line);
                if (n.hasNonNull("file") && n.hasNonNull("source_id") && n.hasNonNull("stream_id")) {
                    return new Entry(n.get("file").asText(), n.get("source_id").asText(), n.get("stream_id").asText());
                }
            } catch (IOException e) {
                // reported below
            }
            LOG.warn("{}:{} is not a stream index entry, ignored: {}", path, lineNo, line);
            return null;
        }
    }
}
