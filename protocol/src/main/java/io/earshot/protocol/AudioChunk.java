package io.earshot.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One chunk of audio of one capture stream, as carried on the audio topic (wire format v1, see
 * docs/wire-format.md). The Kafka key, not the chunk, names the source.
 *
 * <p>Sample indices count frames (one sample per channel) since the start of the stream; they are the
 * time axis of the whole pipeline. {@code captureTimeMicros} is the wall-clock capture time of the
 * first frame of the chunk and becomes the record timestamp.
 *
 * @param streamId          id of the capture stream; a new one on every agent start
 * @param sequence          chunk number within the stream, from 0, without gaps
 * @param firstSampleIndex  index of the chunk's first frame since stream start
 * @param captureTimeMicros capture time of the first frame, UTC epoch microseconds
 * @param sampleRate        frames per second
 * @param channels          interleaved channels per frame
 * @param encoding          how each sample is stored in the payload
 * @param endOfStream       true on the record that closes the stream (normally with an empty payload)
 * @param payload           interleaved little-endian samples, a whole number of frames
 */
public record AudioChunk(String streamId, long sequence, long firstSampleIndex, long captureTimeMicros,
                         int sampleRate, int channels, SampleEncoding encoding, boolean endOfStream,
                         byte[] payload) {

    /** Lowest sample rate the format accepts; anything lower is a corrupt header, not audio. */
    public static final int MIN_SAMPLE_RATE = 1_000;
    /** Highest sample rate the format accepts. */
    public static final int MAX_SAMPLE_RATE = 768_000;
    public static final int MAX_CHANNELS = 64;
    /**
     * Sample indices (and the end of a chunk, first index + frames) stay at or below 2^53: the pipeline
     * turns them into seconds and microseconds, and JSON readers hold numbers as doubles, exact up to 2^53.
     * That is 285 years at 1 MHz, so only a corrupt header comes near it.
     */
    public static final long MAX_SAMPLE_INDEX = 1L << 53;
    /** Capture times stay at or below 2^53 µs (the year 2255) for the same reason. */
    public static final long MAX_CAPTURE_TIME_MICROS = 1L << 53;
    /** Stream ids are 1..64 bytes of printable ASCII (0x21..0x7E). */
    public static final int MAX_STREAM_ID_LENGTH = 64;
    /** Keeps a record well below Kafka's default 1 MiB message limit. */
    public static final int MAX_PAYLOAD_BYTES = 768 * 1024;

    public AudioChunk {
        String problem = problemWith(streamId, sequence, firstSampleIndex, captureTimeMicros, sampleRate, channels,
                encoding, payload == null ? -1 : payload.length);
        if (problem != null) {
            throw new IllegalArgumentException("invalid audio chunk: " + problem);
        }
    }

    /**
     * Why these header values do not make a valid chunk, or null when they do. Shared by the
     * constructor (which throws) and the decoder (which rejects), so both enforce the same rules.
     */
    static String problemWith(String streamId, long sequence, long firstSampleIndex, long captureTimeMicros,
                              int sampleRate, int channels, SampleEncoding encoding, int payloadLength) {
        if (streamId == null || streamId.isEmpty()) {
            return "stream id is empty";
        }
        if (streamId.length() > MAX_STREAM_ID_LENGTH) {
            return "stream id is " + streamId.length() + " characters long, at most " + MAX_STREAM_ID_LENGTH + " allowed";
        }
        for (int i = 0; i < streamId.length(); i++) {
            char c = streamId.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return String.format("stream id contains character 0x%02X at position %d; only printable ASCII without spaces is allowed", (int) c, i);
            }
        }
        if (sequence < 0) {
            return "sequence is negative: " + sequence;
        }
        if (firstSampleIndex < 0) {
            return "first sample index is negative: " + firstSampleIndex;
        }
        if (captureTimeMicros < 0) {
            return "capture time is negative: " + captureTimeMicros + " µs";
        }
        if (captureTimeMicros > MAX_CAPTURE_TIME_MICROS) {
            return "capture time " + captureTimeMicros + " µs is beyond 2^53 µs";
        }
        if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
            return "sample rate " + sampleRate + " Hz is outside " + MIN_SAMPLE_RATE + ".." + MAX_SAMPLE_RATE + " Hz";
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            return "channel count " + channels + " is outside 1.." + MAX_CHANNELS;
        }
        if (encoding == null) {
            return "sample encoding is missing";
        }
        if (payloadLength < 0) {
            return "payload is missing";
        }
        if (payloadLength > MAX_PAYLOAD_BYTES) {
            return "payload of " + payloadLength + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES + " bytes";
        }
        int frameBytes = encoding.bytesPerSample() * channels;
        if (payloadLength % frameBytes != 0) {
            return "payload of " + payloadLength + " bytes is not a whole number of " + frameBytes + "-byte frames ("
                    + channels + " channel(s) of " + encoding + ")";
        }
        long frames = payloadLength / frameBytes;
        if (firstSampleIndex > MAX_SAMPLE_INDEX - frames) {
            return "first sample index " + firstSampleIndex + " + " + frames + " frames is beyond 2^53";
        }
        return null;
    }

    /**
     * A mono 16-bit chunk from float samples in [-1, 1]; values outside are clipped, and each is rounded
     * to the nearest 16-bit step.
     */
    public static AudioChunk ofMonoPcm16(String streamId, long sequence, long firstSampleIndex, long captureTimeMicros,
                                         int sampleRate, float[] samples) {
        return ofMonoPcm16(streamId, sequence, firstSampleIndex, captureTimeMicros, sampleRate, samples, 0, samples.length);
    }

    /** As {@link #ofMonoPcm16(String, long, long, long, int, float[])} for {@code samples[offset, offset + length)}. */
    public static AudioChunk ofMonoPcm16(String streamId, long sequence, long firstSampleIndex, long captureTimeMicros,
                                         int sampleRate, float[] samples, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        ByteBuffer buf = ByteBuffer.allocate(length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < length; i++) {
            buf.putShort(toPcm16(samples[offset + i]));
        }
        return new AudioChunk(streamId, sequence, firstSampleIndex, captureTimeMicros, sampleRate, 1,
                SampleEncoding.PCM_S16LE, false, buf.array());
    }

    /**
     * The record that closes a stream: no payload; its first sample index is the stream's total length
     * in frames (the index one past the last sample) and its capture time that of that index.
     */
    public static AudioChunk endOfStream(String streamId, long sequence, long endSampleIndex, long captureTimeMicros,
                                         int sampleRate) {
        return new AudioChunk(streamId, sequence, endSampleIndex, captureTimeMicros, sampleRate, 1,
                SampleEncoding.PCM_S16LE, true, new byte[0]);
    }

    /** Float sample in [-1, 1] to the nearest signed 16-bit value, clipping out-of-range input. */
    public static short toPcm16(float sample) {
        float scaled = sample * 32768f;
        if (!(scaled > -32768f)) { // also maps NaN to silence below
            return Float.isNaN(sample) ? 0 : Short.MIN_VALUE;
        }
        if (scaled >= 32767f) {
            return Short.MAX_VALUE;
        }
        return (short) Math.round(scaled);
    }

    /** Frames (samples per channel) in the payload. */
    public int frameCount() {
        return payload.length / (encoding.bytesPerSample() * channels);
    }

    /** Index one past the last frame of this chunk: the first sample index of the next chunk. */
    public long endSampleIndex() {
        return firstSampleIndex + frameCount();
    }

    /** Audio duration of the payload in seconds. */
    public double durationSeconds() {
        return frameCount() / (double) sampleRate;
    }

    /** Capture time of stream sample 0 implied by this chunk, UTC epoch microseconds. */
    public long captureTimeMicrosOfSampleZero() {
        return captureTimeMicros - Math.round(firstSampleIndex * 1_000_000.0 / sampleRate);
    }

    /** Record timestamp for Kafka: the capture time in epoch milliseconds. */
    public long captureTimeMillis() {
        return Math.floorDiv(captureTimeMicros, 1000L);
    }

    /**
     * The payload as mono floats: channels averaged, integers scaled by their full scale so that the
     * result lies in [-1, 1) (float payloads are passed through).
     */
    public float[] toMonoFloats() {
        int frames = frameCount();
        float[] out = new float[frames];
        if (channels == 1 && encoding == SampleEncoding.PCM_S16LE) {
            // The common case, read straight from the bytes: the same values as the general loop below,
            // which spends most of its time in ByteBuffer bounds checks and the per-sample switch.
            for (int f = 0, b = 0; f < frames; f++, b += 2) {
                out[f] = (short) ((payload[b] & 0xFF) | (payload[b + 1] << 8)) / 32768f;
            }
            return out;
        }
        ByteBuffer buf = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        for (int f = 0; f < frames; f++) {
            // Summed in double: float samples near the float maximum are valid, and a float sum of them
            // overflows to infinity, which the feature extraction cannot take.
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += readSample(buf);
            }
            out[f] = (float) (sum / channels);
        }
        return out;
    }

    private float readSample(ByteBuffer buf) {
        switch (encoding) {
            case PCM_S16LE:
                return buf.getShort() / 32768f;
            case PCM_S24LE: {
                int b0 = buf.get() & 0xFF;
                int b1 = buf.get() & 0xFF;
                int b2 = buf.get(); // sign-extends
                return ((b2 << 16) | (b1 << 8) | b0) / 8388608f;
            }
            case PCM_S32LE:
                return (float) (buf.getInt() / 2147483648.0);
            case FLOAT32LE:
                return buf.getFloat();
            default:
                throw new IllegalStateException("unknown encoding " + encoding);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioChunk other
                && sequence == other.sequence
                && firstSampleIndex == other.firstSampleIndex
                && captureTimeMicros == other.captureTimeMicros
                && sampleRate == other.sampleRate
                && channels == other.channels
                && endOfStream == other.endOfStream
                && encoding == other.encoding
                && streamId.equals(other.streamId)
                && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, sequence, firstSampleIndex, captureTimeMicros, sampleRate, channels, encoding,
                endOfStream) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        String head = payload.length <= 8 ? HexFormat.of().formatHex(payload)
                : HexFormat.of().formatHex(payload, 0, 8) + "...";
        return "AudioChunk[stream=" + streamId + ", seq=" + sequence + ", firstSample=" + firstSampleIndex
                + ", frames=" + frameCount() + ", captureUs=" + captureTimeMicros + ", rate=" + sampleRate
                + ", channels=" + channels + ", " + encoding + (endOfStream ? ", END" : "")
                + ", payload=" + payload.length + "B " + head + "]";
    }
}
