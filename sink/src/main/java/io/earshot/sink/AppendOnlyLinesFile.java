package io.earshot.sink;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A text file the sink only ever appends whole lines to. Opening it hands every complete line already
 * there to the caller, one at a time (so an output can rebuild what it has written without holding the
 * file in memory), and cuts off a trailing partial line: such a line was never flushed completely, so
 * the records behind it were never committed and will be consumed again.
 */
final class AppendOnlyLinesFile implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AppendOnlyLinesFile.class);

    private final Path path;
    private final boolean wasEmpty;
    private final BufferedWriter writer;

    private AppendOnlyLinesFile(Path path, boolean wasEmpty, BufferedWriter writer) {
        this.path = path;
        this.wasEmpty = wasEmpty;
        this.writer = writer;
    }

    /**
     * Opens (creating parent directories and the file if needed) for appending.
     *
     * @param existingLine receives each complete line present now, in order, without its newline
     */
    static AppendOnlyLinesFile open(Path path, Consumer<String> existingLine) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long complete = 0; // bytes up to and including the last newline
        long total = 0;
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(path)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    int lineStart = 0;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            line.write(buffer, lineStart, i - lineStart);
                            existingLine.accept(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                            lineStart = i + 1;
                            complete = total + lineStart;
                        }
                    }
                    line.write(buffer, lineStart, n - lineStart);
                    total += n;
                }
            }
            if (complete < total) {
                LOG.warn("{}: cutting off an incomplete last line of {} bytes left by an interrupted run", path,
                        total - complete);
                channel.truncate(complete);
            }
            channel.position(complete);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        BufferedWriter writer = new BufferedWriter(
                new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 1 << 16);
        return new AppendOnlyLinesFile(path, complete == 0, writer);
    }

    /** True when the file held no complete line when opened (a header is due). */
    boolean wasEmpty() {
        return wasEmpty;
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
