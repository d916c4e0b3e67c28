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
    private final FileChannel channel;
    private final BufferedWriter writer;
    private boolean dirty;

    private AppendOnlyLinesFile(Path path, boolean wasEmpty, FileChannel channel, BufferedWriter writer) {
        this.path = path;
        this.wasEmpty = wasEmpty;
        this.channel = channel;
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
        long complete;
        long total;
        try {
            long[] sizes = scan(path, existingLine);
            complete = sizes[0];
            total = sizes[1];
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
        return new AppendOnlyLinesFile(path, complete == 0, channel, writer);
    }

    /** Hands every complete line of {@code path} to {@code line}, in order (a partial last line is left out). */
    static void readLines(Path path, Consumer<String> line) throws IOException {
        scan(path, line);
    }

    /** Reads the complete lines; returns {bytes up to and including the last newline, all bytes}. */
    private static long[] scan(Path path, Consumer<String> existingLine) throws IOException {
        long complete = 0;
        long total = 0;
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
        return new long[] {complete, total};
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
        dirty = true;
    }

    /** Hands everything appended so far to the operating system. */
    void flush() throws IOException {
        writer.flush();
    }

    /**
     * Flushes and forces everything appended so far to the storage device ({@link FileChannel#force}),
     * so it survives a crash of the machine, not just of the process. Only files appended to since the
     * last force are synced.
     */
    void force() throws IOException {
        writer.flush();
        if (dirty) {
            channel.force(false);
            dirty = false;
        }
    }

    /** Forces what was appended to disk, then closes. */
    @Override
    public void close() throws IOException {
        try {
            force();
        } finally {
            writer.close();
        }
    }
}
