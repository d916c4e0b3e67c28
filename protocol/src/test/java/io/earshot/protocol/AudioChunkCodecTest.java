package io.earshot.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class AudioChunkCodecTest {

    private static final long T0 = 1_700_000_000_000_000L;

    private static AudioChunk vectorChunk() {
        byte[] payload = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0).putShort((short) 1).putShort((short) -1).putShort((short) 32767).array();
        return new AudioChunk("mic-7f3a", 2, 3200, T0, 16000, 1, SampleEncoding.PCM_S16LE, false, payload);
    }

    @Test
    void encoderMatchesTheDocumentedTestVectorByteForByte() throws IOException {
        byte[] documented = documentedVector("chunk");
        assertEquals(60, documented.length);
        assertArrayEquals(documented, AudioChunkCodec.encode(vectorChunk()));
        AudioChunk decoded = decoded(documented);
        assertEquals(vectorChunk(), decoded);
        assertEquals(4, decoded.frameCount());
        assertEquals(3204, decoded.endSampleIndex());
        assertArrayEquals(new float[] {0f, 1 / 32768f, -1 / 32768f, 32767 / 32768f}, decoded.toMonoFloats());
    }

    @Test
    void endOfStreamMatchesTheDocumentedTestVector() throws IOException {
        AudioChunk eos = AudioChunk.endOfStream("mic-7f3a", 3, 3204, T0 + 250, 16000);
        byte[] documented = documentedVector("end-of-stream");
        assertArrayEquals(documented, AudioChunkCodec.encode(eos));
        AudioChunk decoded = decoded(documented);
        assertTrue(decoded.endOfStream());
        assertEquals(0, decoded.frameCount());
        assertEquals(3204, decoded.firstSampleIndex());
    }

    @Test
    void everyEncodingAndChannelCountRoundTrips() {
        for (SampleEncoding enc : SampleEncoding.values()) {
            for (int channels : new int[] {1, 2, 6}) {
                byte[] payload = new byte[enc.bytesPerSample() * channels * 5];
                for (int i = 0; i < payload.length; i++) {
                    payload[i] = (byte) (i * 37 + 11);
                }
                if (enc == SampleEncoding.FLOAT32LE) {
                    ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < payload.length / 4; i++) {
                        b.putFloat(i * 4, (i % 7 - 3) / 4f);
                    }
                }
                AudioChunk chunk = new AudioChunk("s-" + enc, 9, 48_000L * 3600, T0, 48_000, channels, enc, false, payload);
                assertEquals(chunk, decoded(AudioChunkCodec.encode(chunk)), enc + " x" + channels);
                assertEquals(5, chunk.frameCount());
            }
        }
    }

    @Test
    void monoFloatsMixChannelsAndScaleEachEncoding() {
        // Stereo frame (L, R) = (+half scale, -quarter scale) must mix to +1/8.
        byte[] s24 = {0x00, 0x00, 0x40, 0x00, 0x00, (byte) 0xE0};
        AudioChunk c24 = new AudioChunk("a", 0, 0, 0, 16000, 2, SampleEncoding.PCM_S24LE, false, s24);
        assertArrayEquals(new float[] {0.125f}, c24.toMonoFloats(), 1e-7f);
        byte[] s32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(1 << 30).putInt(-(1 << 29)).array();
        AudioChunk c32 = new AudioChunk("a", 0, 0, 0, 16000, 2, SampleEncoding.PCM_S32LE, false, s32);
        assertArrayEquals(new float[] {0.125f}, c32.toMonoFloats(), 1e-7f);
        byte[] f32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-0.25f).array();
        AudioChunk cf = new AudioChunk("a", 0, 0, 0, 16000, 2, SampleEncoding.FLOAT32LE, false, f32);
        assertArrayEquals(new float[] {0.125f}, cf.toMonoFloats(), 1e-7f);
        byte[] s16 = {0x00, (byte) 0x80};
        AudioChunk c16 = new AudioChunk("a", 0, 0, 0, 16000, 1, SampleEncoding.PCM_S16LE, false, s16);
        assertArrayEquals(new float[] {-1f}, c16.toMonoFloats());
    }

    @Test
    void monoPcm16GivesTheSameFloatsAsTheGeneralMixOfIdenticalChannels() {
        // mono PCM16 takes a direct path; two identical channels take the general one: same values exactly
        short[] values = new short[4000];
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) random.nextInt();
        }
        values[0] = Short.MIN_VALUE;
        values[1] = Short.MAX_VALUE;
        values[2] = -1;
        ByteBuffer mono = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer stereo = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            mono.putShort(v);
            stereo.putShort(v).putShort(v);
        }
        float[] direct = new AudioChunk("a", 0, 0, 0, 16000, 1, SampleEncoding.PCM_S16LE, false, mono.array()).toMonoFloats();
        float[] general = new AudioChunk("a", 0, 0, 0, 16000, 2, SampleEncoding.PCM_S16LE, false, stereo.array())
                .toMonoFloats();
        assertArrayEquals(general, direct);
        assertEquals(-1f, direct[0]);
        assertEquals(32767 / 32768f, direct[1]);
        assertEquals(-1 / 32768f, direct[2]);
    }

    @Test
    void loudFloatChannelsMixWithoutOverflowing() {
        byte[] f32 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(Float.MAX_VALUE).putFloat(Float.MAX_VALUE).putFloat(-3e38f).putFloat(-2e38f).array();
        AudioChunk cf = new AudioChunk("a", 0, 0, 0, 16000, 2, SampleEncoding.FLOAT32LE, false, f32);
        assertArrayEquals(new float[] {Float.MAX_VALUE, -2.5e38f}, cf.toMonoFloats());
    }

    @Test
    void ofMonoPcm16RoundsAndClips() {
        AudioChunk c = AudioChunk.ofMonoPcm16("s", 0, 0, T0, 16000, new float[] {0.5f, -2f, 2f, 1e-5f, -1e-5f, Float.NaN});
        ByteBuffer b = ByteBuffer.wrap(c.payload()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(16384, b.getShort(0));
        assertEquals(-32768, b.getShort(2));
        assertEquals(32767, b.getShort(4));
        assertEquals(0, b.getShort(6)); // 0.33 LSB rounds to 0
        assertEquals(0, b.getShort(8));
        assertEquals(0, b.getShort(10));
    }

    @Test
    void captureTimeOfSampleZeroAndRecordTimestamp() {
        AudioChunk c = vectorChunk(); // 3200 samples at 16 kHz = 200 ms after sample 0
        assertEquals(T0 - 200_000, c.captureTimeMicrosOfSampleZero());
        assertEquals(T0 / 1000, c.captureTimeMillis());
    }

    @Test
    void constructorRefusesInvalidChunks() {
        byte[] two = new byte[2];
        assertThrows(IllegalArgumentException.class, () -> new AudioChunk("", 0, 0, 0, 16000, 1, SampleEncoding.PCM_S16LE, false, two));
        assertThrows(IllegalArgumentException.class, () -> new AudioChunk("a b", 0, 0, 0, 16000, 1, SampleEncoding.PCM_S16LE, false, two));
        assertThrows(IllegalArgumentException.class, () -> new AudioChunk("a", -1, 0, 0, 16000, 1, SampleEncoding.PCM_S16LE, false, two));
        assertThrows(IllegalArgumentException.class, () -> new AudioChunk("a", 0, 0, 0, 16000, 2, SampleEncoding.PCM_S16LE, false, two));
        assertThrows(IllegalArgumentException.class, () -> new AudioChunk("a", 0, 0, 0, 16000, 1, SampleEncoding.PCM_S16LE, false, null));
    }

    // ---- malformed records: every one is rejected with a precise reason and nothing is thrown ----

    @Test
    void nullAndEmptyAndShortRecords() {
        assertRejected(null, "record value is null");
        assertRejected(new byte[0], "truncated header: record has 0 bytes");
        assertRejected(Arrays.copyOf(valid(), 3), "truncated header: record has 3 bytes");
        assertRejected(Arrays.copyOf(valid(), 43), "truncated header: record has 43 bytes, the fixed header needs 44");
        assertRejected(Arrays.copyOf(valid(), 48), "truncated header: record has 48 bytes, header length is 52");
    }

    @Test
    void wrongMagicAndVersionAndFlags() {
        assertRejected(patch(valid(), b -> b[0] = 'X'), "wrong magic 0x58534143");
        assertRejected(Arrays.copyOf(patch(valid(), b -> b[1] = 0), 4), "wrong magic"); // magic wins over length once 4 bytes are there
        assertRejected(patch(valid(), b -> b[4] = 2), "unsupported wire format version 2");
        assertRejected(patch(valid(), b -> b[5] = 0x04), "unknown flag bits 0x04");
    }

    @Test
    void payloadLengthMismatches() {
        byte[] v = valid();
        assertRejected(Arrays.copyOf(v, v.length - 1), "truncated payload: header declares 8 bytes, record holds 7");
        assertRejected(Arrays.copyOf(v, v.length + 3), "payload length mismatch: header declares 8 bytes, record holds 11 (3 trailing bytes)");
        assertRejected(patch(v, b -> ByteBuffer.wrap(b).putInt(40, 6)), "payload length mismatch");
        assertRejected(patch(v, b -> ByteBuffer.wrap(b).putInt(40, -1)), "oversized payload: header declares 4294967295 bytes");
    }

    @Test
    void payloadNotAWholeNumberOfFrames() {
        byte[] v = AudioChunkCodec.encode(new AudioChunk("s", 0, 0, T0, 16000, 1, SampleEncoding.PCM_S16LE, false, new byte[6]));
        byte[] stereo = patch(v, b -> ByteBuffer.wrap(b).putShort(36, (short) 2)); // 6 bytes = 1.5 stereo s16 frames
        assertRejected(stereo, "payload of 6 bytes is not a whole number of 4-byte frames");
    }

    @Test
    void absurdHeaderValues() {
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putInt(32, 0)), "sample rate 0 Hz is outside 1000..768000 Hz");
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putInt(32, 10_000_000)), "sample rate 10000000 Hz");
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putShort(36, (short) 0)), "channel count 0 is outside 1..64");
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putShort(36, (short) 65)), "channel count 65");
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putLong(8, -5)), "sequence is negative: -5");
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putLong(16, -1)), "first sample index is negative: -1");
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putLong(24, -1)), "capture time is negative");
        // Sample indices and capture times beyond 2^53 would overflow or lose precision downstream.
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putLong(16, Long.MAX_VALUE)),
                "first sample index 9223372036854775807 + 4 frames is beyond 2^53");
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putLong(16, (1L << 53) - 3)), "first sample index");
        assertTrue(AudioChunkCodec.decode(patch(valid(), b -> ByteBuffer.wrap(b).putLong(16, (1L << 53) - 4)))
                instanceof DecodeResult.Decoded, "a chunk ending exactly at 2^53");
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putLong(24, Long.MAX_VALUE)), "capture time 9223372036854775807");
        assertRejected(patch(valid(), b -> b[38] = 9), "unknown sample encoding code 9");
        assertRejected(patch(valid(), b -> b[44] = ' '), "stream id byte 0 is 0x20");
        assertRejected(patch(valid(), b -> b[39] = 0), "stream id length is 0");
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putShort(6, (short) 50)), "header length 50 is shorter than 44 + stream id length 8");
        assertRejected(patch(valid(), b -> ByteBuffer.wrap(b).putShort(6, (short) 2000)), "header length 2000 exceeds the limit of 1024");
    }

    @Test
    void oversizedPayloadIsRejectedBeforeReadingIt() {
        int tooBig = AudioChunk.MAX_PAYLOAD_BYTES + 2;
        byte[] v = valid();
        byte[] big = Arrays.copyOf(v, v.length - 8 + tooBig);
        ByteBuffer.wrap(big).putInt(40, tooBig);
        assertRejected(big, "oversized payload: header declares " + tooBig + " bytes, the limit is 786432");
    }

    @Test
    void nonFiniteFloatSamplesAreRejected() {
        byte[] f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.1f).putFloat(Float.NaN).array();
        byte[] good = AudioChunkCodec.encode(new AudioChunk("s", 0, 0, T0, 16000, 1, SampleEncoding.FLOAT32LE, false, new byte[8]));
        byte[] bad = patch(good, b -> System.arraycopy(f, 0, b, 45, 8));
        assertRejected(bad, "float sample 1 of the payload is NaN");
    }

    @Test
    void longerHeaderFromAFutureMinorRevisionIsSkipped() {
        byte[] v = valid();
        byte[] extended = new byte[v.length + 4];
        System.arraycopy(v, 0, extended, 0, 52);
        System.arraycopy(v, 52, extended, 56, 8);
        ByteBuffer.wrap(extended).putShort(6, (short) 56);
        assertEquals(vectorChunk(), decoded(extended));
    }

    @Test
    void everyTruncationOfAValidRecordIsRejectedNeverThrown() {
        byte[] v = valid();
        for (int len = 0; len < v.length; len++) {
            DecodeResult r = AudioChunkCodec.decode(Arrays.copyOf(v, len));
            assertInstanceOf(DecodeResult.Rejected.class, r, "length " + len);
        }
        // Random corruption: never an exception, and anything accepted is a valid chunk that round-trips
        // (not necessarily to the same bytes: a shorter stream id length turns id bytes into skipped header extension).
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] c = v.clone();
            c[rnd.nextInt(c.length)] = (byte) rnd.nextInt(256);
            if (AudioChunkCodec.decode(c) instanceof DecodeResult.Decoded d) {
                assertEquals(d.chunk(), decoded(AudioChunkCodec.encode(d.chunk())));
            }
        }
    }

    @Test
    void serdeDeserializerReturnsResultsAndNeverThrows() {
        try (AudioChunkSerde serde = new AudioChunkSerde()) {
            Deserializer<DecodeResult> de = serde.deserializer();
            byte[] bytes = serde.serializer().serialize("t", new DecodeResult.Decoded(vectorChunk()));
            assertArrayEquals(valid(), bytes);
            assertEquals(new DecodeResult.Decoded(vectorChunk()), de.deserialize("t", bytes));
            assertInstanceOf(DecodeResult.Rejected.class, de.deserialize("t", "hello".getBytes(StandardCharsets.UTF_8)));
            assertInstanceOf(DecodeResult.Rejected.class, de.deserialize("t", null));
            assertArrayEquals(valid(), AudioChunkSerde.chunkSerializer().serialize("t", vectorChunk()));
            assertNull(AudioChunkSerde.chunkSerializer().serialize("t", null));
        }
    }

    private static byte[] valid() {
        return AudioChunkCodec.encode(vectorChunk());
    }

    private static byte[] patch(byte[] bytes, Consumer<byte[]> change) {
        byte[] copy = bytes.clone();
        change.accept(copy);
        return copy;
    }

    private static AudioChunk decoded(byte[] bytes) {
        DecodeResult r = AudioChunkCodec.decode(bytes);
        if (r instanceof DecodeResult.Rejected rej) {
            throw new AssertionError("rejected: " + rej.reason());
        }
        return ((DecodeResult.Decoded) r).chunk();
    }

    private static void assertRejected(byte[] bytes, String reasonPrefix) {
        DecodeResult r = AudioChunkCodec.decode(bytes);
        DecodeResult.Rejected rej = assertInstanceOf(DecodeResult.Rejected.class, r);
        assertTrue(rej.reason().startsWith(reasonPrefix), () -> "expected reason starting with '" + reasonPrefix + "' but was '" + rej.reason() + "'");
    }

    /** The hex block after the marker {@code <!-- test-vector:NAME -->} in docs/wire-format.md. */
    static byte[] documentedVector(String name) throws IOException {
        String doc = Files.readString(repoRoot().resolve("docs/wire-format.md"));
        Matcher m = Pattern.compile("<!-- test-vector:" + Pattern.quote(name) + " -->\\s*```\\s*\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "no test vector " + name + " in docs/wire-format.md");
        StringBuilder hex = new StringBuilder();
        for (String line : m.group(1).split("\n")) {
            String bytes = line.substring(line.indexOf(':') + 1);
            hex.append(bytes.replace(" ", "").trim());
        }
        return HexFormat.of().parseHex(hex.toString());
    }

    static Path repoRoot() {
        String prop = System.getProperty("earshot.repo.root");
        Path dir = Path.of(prop != null ? prop : "").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docs/wire-format.md"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (docs/wire-format.md) above " + dir);
    }
}
