package io.earshot.sink;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A text file the sink only ever appends whole lines to. Opening it returns the complete lines
 * already there (so an output can rebuild what it has written) and cuts off a trailing partial
 * line: such a line was never flushed completely, so the records behind it were never committed and
 * will be consumed again.
 */
final class AppendOnlyLinesFile implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AppendOnlyLinesFile.class);

    private final Path path;
    private final List<String> existing;
    private final BufferedWriter writer;

    private AppendOnlyLinesFile(Path path, List<String> existing, BufferedWriter writer) {
        this.path = path;
        this.existing = existing;
        this.writer = writer;
    }

    /** Opens (creating parent directories and the file if needed) for appending. */
    static AppendOnlyLinesFile open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        List<String> lines = new ArrayList<>();
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            byte[] content = Files.readAllBytes(path);
            int lineStart = 0;
            for (int i = 0; i < content.length; i++) {
                if (content[i] == '\n') {
                    lines.add(new String(content, lineStart, i - lineStart, StandardCharsets.UTF_8));
                    lineStart = i + 1;
                }
            }
            if (lineStart < content.length) {
                LOG.warn("{}: cutting off an incomplete last line of {} bytes left by an interrupted run", path,
                        content.length - lineStart);
                channel.truncate(lineStart);
            }
            channel.position(lineStart);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        BufferedWriter writer = new BufferedWriter(
                new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 1 << 16);
        return new AppendOnlyLinesFile(path, List.copyOf(lines), writer);
    }

    /** The complete lines present when the file was opened. */
    List<String> existingLines() {
        return existing;
    }

    /** True when the file held no line when opened (a header is due). */
    boolean wasEmpty() {
        return existing.isEmpty();
    }

    Path path() {
        return path;
    }

    /** Appends one line (a newline is added; the text must not contain one). */
    void append(String line) throws IOException {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a line must not contain a newline: " + line);
        }
        writer.write(line);
        writer.write('\n');
    }

    /** Hands everything appended so far to the operating system. */
    void flush() throws IOException {
        writer.flush();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
