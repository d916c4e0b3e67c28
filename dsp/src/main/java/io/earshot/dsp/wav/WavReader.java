package io.earshot.dsp.wav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming reader of RIFF/WAVE files: PCM 8-bit unsigned, 16/24/32-bit signed, IEEE float 32/64, plain
 * or WAVE_FORMAT_EXTENSIBLE, any rate and channel count. Samples come out as floats scaled to [-1, 1],
 * either interleaved or mixed down to mono. Only a block of the data chunk is in memory at a time, so
 * files of any length can be read.
 *
 * <p>Chunks other than fmt and data are skipped (odd-sized chunks are followed by a pad byte, as RIFF
 * requires). A data chunk whose declared size runs past the end of the file (a recording that was cut
 * off before its header was patched) is read up to the last whole frame, with a warning.
 */
public final class WavReader implements AutoCloseable {

    private static final int WAVE_FORMAT_PCM = 0x0001;
    private static final int WAVE_FORMAT_IEEE_FLOAT = 0x0003;
    private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
    /** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID derived from a format tag. */
    private static final byte[] SUBTYPE_GUID_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00,
            (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};
    private static final int BLOCK_BYTES = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final WavFormat format;
    private final List<String> warnings;
    private final ByteBuffer block;
    private long framesLeft;
    private long bytesNotYetBuffered;

    private WavReader(Path file, FileChannel channel, WavFormat format, List<String> warnings) {
        this.file = file;
        this.channel = channel;
        this.format = format;
        this.warnings = List.copyOf(warnings);
        int frameBytes = format.bytesPerFrame();
        this.block = ByteBuffer.allocate(Math.max(1, BLOCK_BYTES / frameBytes) * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
        this.block.limit(0);
        this.framesLeft = format.frameCount();
        this.bytesNotYetBuffered = format.frameCount() * frameBytes;
    }

    /** Opens a WAV file and parses its header, leaving the reader at the first frame. */
    public static WavReader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new HeaderParser(file, ch).parse();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Reads a whole file mixed down to mono. */
    public static float[] readMono(Path file) throws IOException {
        try (WavReader r = open(file)) {
            if (r.format.frameCount() > Integer.MAX_VALUE - 8) {
                throw new WavFormatException(file, "too long to read into one array (" + r.format.frameCount() + " frames)");
            }
            float[] out = new float[(int) r.format.frameCount()];
            int pos = 0;
            while (pos < out.length) {
                int n = r.readMono(out, pos, out.length - pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            return out;
        }
    }

    public Path file() {
        return file;
    }

    public WavFormat format() {
        return format;
    }

    /** Oddities that did not stop reading (for example a data chunk cut short); empty for a clean file. */
    public List<String> warnings() {
        return warnings;
    }

    public long framesRemaining() {
        return framesLeft;
    }

    /**
     * Reads up to {@code maxFrames} frames, interleaved, into {@code out[offset...]}.
     *
     * @return frames read, or -1 at the end of the data
     */
    public int read(float[] out, int offset, int maxFrames) throws IOException {
        return readInto(out, offset, maxFrames, false);
    }

    /**
     * Reads up to {@code maxFrames} frames mixed down to mono (the mean of the channels) into
     * {@code out[offset...]}.
     *
     * @return frames read, or -1 at the end of the data
     */
    public int readMono(float[] out, int offset, int maxFrames) throws IOException {
        return readInto(out, offset, maxFrames, true);
    }

    private int readInto(float[] out, int offset, int maxFrames, boolean mono) throws IOException {
        if (framesLeft == 0) {
            return -1;
        }
        int channels = format.channels();
        int frameBytes = format.bytesPerFrame();
        int want = (int) Math.min(maxFrames, framesLeft);
        int done = 0;
        float mix = 1f / channels;
        while (done < want) {
            if (!block.hasRemaining()) {
                fillBlock();
            }
            int frames = Math.min(want - done, block.remaining() / frameBytes);
            for (int f = 0; f < frames; f++) {
                if (mono) {
                    float sum = 0f;
                    for (int c = 0; c < channels; c++) {
                        sum += nextSample();
                    }
                    out[offset + done + f] = channels == 1 ? sum : sum * mix;
                } else {
                    int base = offset + (done + f) * channels;
                    for (int c = 0; c < channels; c++) {
                        out[base + c] = nextSample();
                    }
                }
            }
            done += frames;
        }
        framesLeft -= done;
        return done;
    }

    private void fillBlock() throws IOException {
        block.clear();
        if (bytesNotYetBuffered < block.capacity()) {
            block.limit((int) bytesNotYetBuffered);
        }
        bytesNotYetBuffered -= block.limit();
        while (block.hasRemaining()) {
            if (channel.read(block) < 0) {
                throw new WavFormatException(file, "file ended inside the data chunk");
            }
        }
        block.flip();
    }

    private float nextSample() {
        switch (format.encoding()) {
            case PCM_U8:
                return ((block.get() & 0xFF) - 128) / 128f;
            case PCM_S16:
                return block.getShort() / 32768f;
            case PCM_S24: {
                int b0 = block.get() & 0xFF;
                int b1 = block.get() & 0xFF;
                int b2 = block.get(); // sign-extends
                return ((b2 << 16) | (b1 << 8) | b0) / 8388608f;
            }
            case PCM_S32:
                return (float) (block.getInt() / 2147483648.0);
            case FLOAT32:
                return block.getFloat();
            case FLOAT64:
                return (float) block.getDouble();
            default:
                throw new IllegalStateException("unhandled encoding " + format.encoding());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Walks the RIFF chunks up to the data chunk. */
    private static final class HeaderParser {
        private final Path file;
        private final FileChannel ch;
        private final List<String> warnings = new ArrayList<>();

        HeaderParser(Path file, FileChannel ch) {
            this.file = file;
            this.ch = ch;
        }

        WavReader parse() throws IOException {
            long fileSize = ch.size();
            if (fileSize < 12) {
                throw fail("not a WAV file: only " + fileSize + " bytes");
            }
            ByteBuffer riff = readExactly(12, "RIFF header");
            String id = fourCc(riff, 0);
            if (id.equals("RIFX") || id.equals("RF64")) {
                throw fail("unsupported container " + id + " (only little-endian RIFF/WAVE is supported)");
            }
            if (!id.equals("RIFF") || !fourCc(riff, 8).equals("WAVE")) {
                throw fail("not a RIFF/WAVE file (starts with '" + printable(riff, 0, 4) + "', form type '" + printable(riff, 8, 4) + "')");
            }
            Fmt fmt = null;
            while (true) {
                if (ch.position() + 8 > fileSize) {
                    throw fail(fmt == null ? "no fmt chunk before the end of the file" : "no data chunk before the end of the file");
                }
                ByteBuffer head = readExactly(8, "chunk header");
                String chunkId = fourCc(head, 0);
                long size = head.getInt(4) & 0xFFFFFFFFL;
                long bodyStart = ch.position();
                if (chunkId.equals("fmt ")) {
                    if (fmt != null) {
                        throw fail("second fmt chunk at offset " + (bodyStart - 8));
                    }
                    if (size < 16 || size > 4096) {
                        throw fail("fmt chunk of " + size + " bytes (expected 16..4096)");
                    }
                    fmt = parseFmt(readExactly((int) size, "fmt chunk"));
                } else if (chunkId.equals("data")) {
                    if (fmt == null) {
                        throw fail("data chunk comes before the fmt chunk");
                    }
                    return dataReader(fmt, bodyStart, size, fileSize);
                }
                long next = bodyStart + size + (size & 1);
                if (next > fileSize) {
                    throw fail("chunk '" + printable(head, 0, 4) + "' at offset " + (bodyStart - 8) + " declares " + size
                            + " bytes, past the end of the file");
                }
                ch.position(next);
            }
        }

        private WavReader dataReader(Fmt fmt, long dataStart, long declared, long fileSize) throws IOException {
            long available = fileSize - dataStart;
            long bytes = declared;
            if (declared > available) {
                warnings.add("data chunk declares " + declared + " bytes but only " + available
                        + " follow; reading what is there");
                bytes = available;
            }
            int frameBytes = fmt.channels * fmt.encoding.bytesPerSample();
            if (bytes % frameBytes != 0) {
                warnings.add("data chunk ends with a partial frame (" + (bytes % frameBytes) + " bytes ignored)");
            }
            WavFormat format = new WavFormat(fmt.sampleRate, fmt.channels, fmt.encoding, fmt.validBits, fmt.extensible,
                    bytes / frameBytes);
            return new WavReader(file, ch, format, warnings);
        }

        private Fmt parseFmt(ByteBuffer b) throws WavFormatException {
            int tag = b.getShort(0) & 0xFFFF;
            int channels = b.getShort(2) & 0xFFFF;
            long sampleRate = b.getInt(4) & 0xFFFFFFFFL;
            int blockAlign = b.getShort(12) & 0xFFFF;
            int bits = b.getShort(14) & 0xFFFF;
            int validBits = bits;
            boolean extensible = tag == WAVE_FORMAT_EXTENSIBLE;
            if (extensible) {
                if (b.capacity() < 40 || (b.getShort(16) & 0xFFFF) < 22) {
                    throw fail("WAVE_FORMAT_EXTENSIBLE fmt chunk is too short (" + b.capacity() + " bytes, needs 40)");
                }
                validBits = b.getShort(18) & 0xFFFF;
                tag = b.getShort(24) & 0xFFFF;
                for (int i = 0; i < SUBTYPE_GUID_TAIL.length; i++) {
                    if (b.get(26 + i) != SUBTYPE_GUID_TAIL[i]) {
                        throw fail("unsupported WAVE_FORMAT_EXTENSIBLE sub-format (not a PCM or IEEE float GUID)");
                    }
                }
            }
            if (tag != WAVE_FORMAT_PCM && tag != WAVE_FORMAT_IEEE_FLOAT) {
                throw fail(String.format("unsupported WAV encoding: format tag 0x%04X (%s); supported are PCM and IEEE float",
                        tag, tagName(tag)));
            }
            if (channels == 0) {
                throw fail("fmt chunk says 0 channels");
            }
            if (sampleRate == 0 || sampleRate > 2_000_000) {
                throw fail("implausible sample rate " + sampleRate + " Hz");
            }
            if (blockAlign == 0 || blockAlign % channels != 0) {
                throw fail("block align " + blockAlign + " is not a multiple of " + channels + " channels");
            }
            int container = blockAlign / channels;
            if (bits == 0 || bits > container * 8 || validBits == 0 || validBits > bits) {
                throw fail("inconsistent sample size: " + bits + " bits per sample (" + validBits + " valid) in "
                        + container + "-byte containers");
            }
            boolean isFloat = tag == WAVE_FORMAT_IEEE_FLOAT;
            WavEncoding encoding = WavEncoding.of(container, isFloat);
            if (encoding == null || (isFloat && bits != container * 8)) {
                throw fail("unsupported sample format: " + bits + "-bit " + (isFloat ? "float" : "integer") + " in "
                        + container + "-byte containers");
            }
            return new Fmt((int) sampleRate, channels, encoding, validBits, extensible);
        }

        private ByteBuffer readExactly(int n, String what) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new WavFormatException(file, "file ends inside the " + what);
                }
            }
            b.flip();
            return b;
        }

        private WavFormatException fail(String problem) {
            return new WavFormatException(file, problem);
        }

        private static String fourCc(ByteBuffer b, int at) {
            byte[] id = new byte[4];
            b.get(at, id);
            return new String(id, StandardCharsets.ISO_8859_1);
        }

        private static String printable(ByteBuffer b, int at, int n) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int c = b.get(at + i) & 0xFF;
                s.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02X", c));
            }
            return s.toString();
        }

        private static String tagName(int tag) {
            switch (tag) {
                case 0x0002: return "Microsoft ADPCM";
                case 0x0006: return "A-law";
                case 0x0007: return "mu-law";
                case 0x0011: return "IMA ADPCM";
                case 0x0031: return "GSM 6.10";
                case 0x0055: return "MPEG layer 3";
                default: return "unknown";
            }
        }
    }

    private record Fmt(int sampleRate, int channels, WavEncoding encoding, int validBits, boolean extensible) {
    }
}
