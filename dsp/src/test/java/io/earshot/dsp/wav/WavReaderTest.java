package io.earshot.dsp.wav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {

    @TempDir
    Path dir;

    /** A deterministic multi-channel test signal in [-0.9, 0.9], each channel different. */
    private static float[] signal(int frames, int channels) {
        float[] x = new float[frames * channels];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                x[f * channels + c] = (float) (0.9 * Math.sin(2 * Math.PI * (f * (c + 1) * 0.013 + c * 0.3)));
            }
        }
        return x;
    }

    private static float tolerance(WavEncoding e) {
        switch (e) {
            case PCM_U8: return 1f / 128;
            case PCM_S16: return 1f / 32768;
            case PCM_S24: return 1f / 8388608 * 2;
            default: return 1e-7f;
        }
    }

    @Test
    void everyEncodingChannelCountAndHeaderStyleRoundTrips() throws IOException {
        for (WavEncoding enc : WavEncoding.values()) {
            for (int channels : new int[] {1, 2, 3}) {
                for (boolean extensible : new boolean[] {false, true}) {
                    float[] x = signal(1001, channels);
                    Path f = dir.resolve(enc + "-" + channels + "-" + extensible + ".wav");
                    WavWriter.write(f, x, 22050, channels, enc, extensible);
                    try (WavReader r = WavReader.open(f)) {
                        WavFormat fmt = r.format();
                        assertEquals(22050, fmt.sampleRate());
                        assertEquals(channels, fmt.channels());
                        assertEquals(enc, fmt.encoding());
                        assertEquals(extensible, fmt.extensible());
                        assertEquals(1001, fmt.frameCount());
                        float[] y = new float[x.length];
                        assertEquals(1001, r.read(y, 0, 5000));
                        assertEquals(-1, r.read(y, 0, 1));
                        assertArrayEquals(x, y, tolerance(enc), f.getFileName().toString());
                        assertTrue(r.warnings().isEmpty());
                    }
                    float[] mono = WavReader.readMono(f);
                    for (int i = 0; i < 1001; i++) {
                        float mean = 0;
                        for (int c = 0; c < channels; c++) {
                            mean += x[i * channels + c];
                        }
                        assertEquals(mean / channels, mono[i], tolerance(enc) * 1.01f, f + " frame " + i);
                    }
                }
            }
        }
    }

    @Test
    void exactIntegerScaling() throws IOException {
        // 0x80 in 8-bit unsigned is silence; 0x00 is -1; 16-bit -32768 is -1.
        Path f = write("scale.wav", riff(fmt(1, 1, 8000, 1, 8), chunk("data", new byte[] {(byte) 0x80, 0x00, (byte) 0xFF})));
        assertArrayEquals(new float[] {0f, -1f, 127f / 128}, WavReader.readMono(f));
    }

    @Test
    void unknownChunksAndOddPaddingAreSkipped() throws IOException {
        byte[] list = chunk("LIST", "INFOabcde".getBytes(StandardCharsets.US_ASCII)); // 9 bytes + pad
        byte[] junk = chunk("junk", new byte[3]); // 3 bytes + pad
        byte[] data = chunk("data", pcm16(1000, -2000, 3000));
        byte[] fact = chunk("fact", new byte[4]);
        Path f = write("chunks.wav", riff(list, fmt(1, 1, 16000, 2, 16), junk, fact, data, chunk("cue ", new byte[5])));
        try (WavReader r = WavReader.open(f)) {
            assertEquals(3, r.format().frameCount());
            float[] y = new float[3];
            r.readMono(y, 0, 3);
            assertArrayEquals(new float[] {1000 / 32768f, -2000 / 32768f, 3000 / 32768f}, y);
        }
    }

    @Test
    void extensibleWith24ValidBitsIn32BitContainers() throws IOException {
        ByteBuffer fmt = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        fmt.putShort((short) 0xFFFE).putShort((short) 2).putInt(48000).putInt(48000 * 8).putShort((short) 8).putShort((short) 32)
                .putShort((short) 22).putShort((short) 24).putInt(3).putShort((short) 1)
                .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0x40000000).putInt(0xC0000000);
        Path f = write("ext24.wav", riff(chunk("fmt ", fmt.array()), chunk("data", data.array())));
        try (WavReader r = WavReader.open(f)) {
            assertEquals(24, r.format().validBits());
            assertEquals(WavEncoding.PCM_S32, r.format().encoding());
            float[] y = new float[2];
            r.read(y, 0, 1);
            assertArrayEquals(new float[] {0.5f, -0.5f}, y);
        }
    }

    @Test
    void longFilesStreamInSmallReadsAcrossBlockBoundaries() throws IOException {
        float[] x = signal(30_011, 2); // 24-bit stereo: 180 KB, frames straddle the 64 KiB blocks
        Path f = dir.resolve("long.wav");
        WavWriter.write(f, x, 44100, 2, WavEncoding.PCM_S24);
        float[] whole = WavReader.readMono(f);
        float[] pieces = new float[whole.length];
        try (WavReader r = WavReader.open(f)) {
            int pos = 0;
            int step = 1;
            int n;
            while ((n = r.readMono(pieces, pos, Math.min(step, pieces.length - pos))) > 0) {
                pos += n;
                step = step * 3 % 4097 + 1;
            }
            assertEquals(whole.length, pos);
            assertEquals(0, r.framesRemaining());
        }
        assertArrayEquals(whole, pieces);
    }

    @Test
    void dataChunkCutShortIsReadToTheLastWholeFrameWithAWarning() throws IOException {
        byte[] full = riff(fmt(1, 2, 8000, 4, 16), chunk("data", pcm16(1, 2, 3, 4, 5, 6)));
        Path f = write("cut.wav", Arrays.copyOf(full, full.length - 3)); // last frame loses 3 of its 4 bytes
        try (WavReader r = WavReader.open(f)) {
            assertEquals(2, r.format().frameCount());
            assertFalse(r.warnings().isEmpty());
            assertTrue(r.warnings().get(0).contains("declares 12 bytes but only 9 follow"), r.warnings().toString());
        }
    }

    @Test
    void malformedAndUnsupportedFilesGiveErrorsNamingTheFile() throws IOException {
        assertFails(write("text.wav", "hello, this is not audio".getBytes(StandardCharsets.US_ASCII)), "not a RIFF/WAVE file");
        assertFails(write("tiny.wav", new byte[] {'R', 'I'}), "not a WAV file: only 2 bytes");
        assertFails(write("nofmt.wav", riff(chunk("data", new byte[4]))), "data chunk comes before the fmt chunk");
        assertFails(write("nodata.wav", riff(fmt(1, 1, 8000, 2, 16))), "no data chunk");
        assertFails(write("adpcm.wav", riff(fmt(2, 1, 8000, 256, 4), chunk("data", new byte[4]))),
                "unsupported WAV encoding: format tag 0x0002 (Microsoft ADPCM)");
        assertFails(write("mulaw.wav", riff(fmt(7, 1, 8000, 1, 8), chunk("data", new byte[4]))), "mu-law");
        assertFails(write("zero-ch.wav", riff(fmt(1, 0, 8000, 2, 16), chunk("data", new byte[4]))), "0 channels");
        assertFails(write("zero-rate.wav", riff(fmt(1, 1, 0, 2, 16), chunk("data", new byte[4]))), "implausible sample rate 0 Hz");
        assertFails(write("align.wav", riff(fmt(1, 2, 8000, 3, 16), chunk("data", new byte[4]))), "block align 3");
        assertFails(write("f16.wav", riff(fmt(3, 1, 8000, 2, 16), chunk("data", new byte[4]))), "unsupported sample format: 16-bit float");
        assertFails(write("rifx.wav", "RIFX\0\0\0\0WAVE".getBytes(StandardCharsets.US_ASCII)), "unsupported container RIFX");
        byte[] shortFmt = riff(chunk("fmt ", new byte[10]), chunk("data", new byte[4]));
        assertFails(write("shortfmt.wav", shortFmt), "fmt chunk of 10 bytes");
        byte[] overrun = riff(fmt(1, 1, 8000, 2, 16));
        overrun = concat(overrun, "LIST".getBytes(StandardCharsets.US_ASCII), le32(1000));
        assertFails(write("overrun.wav", overrun), "declares 1000 bytes, past the end of the file");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> WavReader.open(dir.resolve("missing.wav")));
    }

    private void assertFails(Path f, String expected) {
        WavFormatException e = assertThrows(WavFormatException.class, () -> WavReader.open(f).close());
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    static byte[] fmt(int tag, int channels, int rate, int blockAlign, int bits) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits);
        return chunk("fmt ", b.array());
    }

    static byte[] chunk(String id, byte[] body) {
        byte[] pad = (body.length & 1) == 1 ? new byte[1] : new byte[0];
        return concat(id.getBytes(StandardCharsets.US_ASCII), le32(body.length), body, pad);
    }

    static byte[] riff(byte[]... chunks) {
        byte[] body = concat(chunks);
        return concat("RIFF".getBytes(StandardCharsets.US_ASCII), le32(4 + body.length), "WAVE".getBytes(StandardCharsets.US_ASCII), body);
    }

    static byte[] pcm16(int... samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : samples) {
            b.putShort((short) s);
        }
        return b.array();
    }

    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
