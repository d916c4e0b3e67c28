package io.earshot.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encoder and strict decoder of the audio wire format v1 (docs/wire-format.md).
 *
 * <pre>
 * offset size  field                       (header fields big-endian, payload little-endian)
 *  0     4     magic "ESAC" (45 53 41 43)
 *  4     1     version = 1
 *  5     1     flags: bit 0 = end of stream, bits 1-7 reserved (0)
 *  6     2     header length H (unsigned) = 44 + L in v1; the payload starts at H
 *  8     8     sequence (signed, &gt;= 0)
 * 16     8     first sample index (signed, &gt;= 0)
 * 24     8     capture time of the first sample, UTC epoch microseconds (signed, &gt;= 0)
 * 32     4     sample rate, Hz
 * 36     2     channels (unsigned)
 * 38     1     sample encoding (1 s16le, 2 s24le, 3 s32le, 4 f32le)
 * 39     1     stream id length L (unsigned, 1..64)
 * 40     4     payload length P (unsigned)
 * 44     L     stream id, ASCII
 *  H     P     payload: interleaved samples
 * </pre>
 *
 * <p>A reader accepts H larger than 44 + L and skips the extra bytes, so later minor revisions can
 * append header fields without a version bump.
 */
public final class AudioChunkCodec {

    /** "ESAC": EarShot Audio Chunk. */
    public static final int MAGIC = 0x45534143;
    public static final int VERSION = 1;
    /** Bytes of the fixed part of the v1 header, before the stream id. */
    public static final int FIXED_HEADER_LENGTH = 44;
    /** Largest header a reader accepts (fixed part, stream id and future extensions). */
    public static final int MAX_HEADER_LENGTH = 1024;
    public static final int FLAG_END_OF_STREAM = 0x01;

    private AudioChunkCodec() {
    }

    /** The wire bytes of a chunk. */
    public static byte[] encode(AudioChunk chunk) {
        byte[] id = chunk.streamId().getBytes(StandardCharsets.US_ASCII);
        int headerLength = FIXED_HEADER_LENGTH + id.length;
        ByteBuffer buf = ByteBuffer.allocate(headerLength + chunk.payload().length).order(ByteOrder.BIG_ENDIAN);
        buf.putInt(MAGIC)
                .put((byte) VERSION)
                .put((byte) (chunk.endOfStream() ? FLAG_END_OF_STREAM : 0))
                .putShort((short) headerLength)
                .putLong(chunk.sequence())
                .putLong(chunk.firstSampleIndex())
                .putLong(chunk.captureTimeMicros())
                .putInt(chunk.sampleRate())
                .putShort((short) chunk.channels())
                .put((byte) chunk.encoding().wireCode())
                .put((byte) id.length)
                .putInt(chunk.payload().length)
                .put(id)
                .put(chunk.payload());
        return buf.array();
    }

    /** Decodes and validates a record value. Never throws: every defect becomes a {@link DecodeResult.Rejected}. */
    public static DecodeResult decode(byte[] bytes) {
        try {
            return decodeChecked(bytes);
        } catch (RuntimeException e) {
            // Every check above should have caught the defect first; this is the last line of "never throws".
            return DecodeResult.rejected("undecodable audio record: " + e);
        }
    }

    private static DecodeResult decodeChecked(byte[] bytes) {
        if (bytes == null) {
            return DecodeResult.rejected("record value is null");
        }
        int n = bytes.length;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        if (n >= 4 && buf.getInt(0) != MAGIC) {
            return DecodeResult.rejected(String.format("wrong magic 0x%08X, expected 0x%08X (\"ESAC\")", buf.getInt(0), MAGIC));
        }
        if (n >= 5 && (bytes[4] & 0xFF) != VERSION) {
            return DecodeResult.rejected("unsupported wire format version " + (bytes[4] & 0xFF) + ", this reader knows version " + VERSION);
        }
        if (n < FIXED_HEADER_LENGTH) {
            return DecodeResult.rejected("truncated header: record has " + n + " bytes, the fixed header needs " + FIXED_HEADER_LENGTH);
        }
        int flags = bytes[5] & 0xFF;
        if ((flags & ~FLAG_END_OF_STREAM) != 0) {
            return DecodeResult.rejected(String.format("unknown flag bits 0x%02X set", flags & ~FLAG_END_OF_STREAM));
        }
        int headerLength = buf.getShort(6) & 0xFFFF;
        long sequence = buf.getLong(8);
        long firstSample = buf.getLong(16);
        long captureMicros = buf.getLong(24);
        int sampleRate = buf.getInt(32);
        int channels = buf.getShort(36) & 0xFFFF;
        int encodingCode = bytes[38] & 0xFF;
        int idLength = bytes[39] & 0xFF;
        long payloadLength = buf.getInt(40) & 0xFFFFFFFFL;

        if (idLength == 0) {
            return DecodeResult.rejected("stream id length is 0");
        }
        if (headerLength < FIXED_HEADER_LENGTH + idLength) {
            return DecodeResult.rejected("header length " + headerLength + " is shorter than " + FIXED_HEADER_LENGTH
                    + " + stream id length " + idLength);
        }
        if (headerLength > MAX_HEADER_LENGTH) {
            return DecodeResult.rejected("header length " + headerLength + " exceeds the limit of " + MAX_HEADER_LENGTH);
        }
        if (n < headerLength) {
            return DecodeResult.rejected("truncated header: record has " + n + " bytes, header length is " + headerLength);
        }
        if (payloadLength > AudioChunk.MAX_PAYLOAD_BYTES) {
            return DecodeResult.rejected("oversized payload: header declares " + payloadLength
                    + " bytes, the limit is " + AudioChunk.MAX_PAYLOAD_BYTES);
        }
        long actualPayload = (long) n - headerLength;
        if (actualPayload < payloadLength) {
            return DecodeResult.rejected("truncated payload: header declares " + payloadLength + " bytes, record holds "
                    + actualPayload);
        }
        if (actualPayload > payloadLength) {
            return DecodeResult.rejected("payload length mismatch: header declares " + payloadLength + " bytes, record holds "
                    + actualPayload + " (" + (actualPayload - payloadLength) + " trailing bytes)");
        }
        SampleEncoding encoding = SampleEncoding.fromWireCode(encodingCode);
        if (encoding == null) {
            return DecodeResult.rejected("unknown sample encoding code " + encodingCode);
        }
        for (int i = 0; i < idLength; i++) {
            int c = bytes[FIXED_HEADER_LENGTH + i] & 0xFF;
            if (c < 0x21 || c > 0x7E) {
                return DecodeResult.rejected(String.format("stream id byte %d is 0x%02X; only printable ASCII without spaces is allowed", i, c));
            }
        }
        String streamId = new String(bytes, FIXED_HEADER_LENGTH, idLength, StandardCharsets.US_ASCII);
        String problem = AudioChunk.problemWith(streamId, sequence, firstSample, captureMicros, sampleRate, channels,
                encoding, (int) payloadLength);
        if (problem != null) {
            return DecodeResult.rejected(problem);
        }
        byte[] payload = new byte[(int) payloadLength];
        System.arraycopy(bytes, headerLength, payload, 0, payload.length);
        if (encoding == SampleEncoding.FLOAT32LE) {
            String nonFinite = firstNonFiniteFloat(payload);
            if (nonFinite != null) {
                return DecodeResult.rejected(nonFinite);
            }
        }
        boolean endOfStream = (flags & FLAG_END_OF_STREAM) != 0;
        return new DecodeResult.Decoded(new AudioChunk(streamId, sequence, firstSample, captureMicros, sampleRate,
                channels, encoding, endOfStream, payload));
    }

    private static String firstNonFiniteFloat(byte[] payload) {
        ByteBuffer buf = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= payload.length; i += 4) {
            float v = buf.getFloat(i);
            if (!Float.isFinite(v)) {
                return "float sample " + (i / 4) + " of the payload is " + v;
            }
        }
        return null;
    }
}
