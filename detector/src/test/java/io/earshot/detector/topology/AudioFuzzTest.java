package io.earshot.detector.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.earshot.detector.TestAudio;
import io.earshot.detector.TestModels;
import io.earshot.detector.ThresholdOverride;
import io.earshot.detector.model.OnnxModel;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkCodec;
import io.earshot.protocol.DecodeResult;
import io.earshot.protocol.SampleEncoding;
import io.earshot.protocol.SoundEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomly mutated audio records (bit flips, truncations, header fields at their extremes, valid headers
 * with absurd payloads, garbage, empty values and keys) interleaved with two good streams through the
 * real topology and model.
 *
 * <p>Expected: nothing throws; every record the codec rejects, and every record without a usable key, is
 * in the dead-letter topic with its original bytes and the codec's reason; no record fails in processing
 * (that reason marks a defect); the good streams' events equal those of a run without the fuzz.
 *
 * <p>The default run sends 4,000 mutated records; {@code -Dearshot.fuzz.records=100000} runs the full
 * count (about 100,000 records; the rate is printed, not asserted).
 */
class AudioFuzzTest {

    private static final int DEFAULT_RECORDS = 4_000;
    private static final long SEED = Long.getLong("earshot.fuzz.seed", 20261203L);
    private static final Set<String> GOOD_SOURCES = Set.of("good-1", "good-2");
    private static final Set<String> CODEC_REASONS = Set.of("malformed", "unknown_version");
    /** Reasons a record that decodes can still be dead-lettered with: format and order checks, never a failure. */
    private static final Set<String> ADMISSION_REASONS = Set.of("unsupported_format", "back_in_time");

    private static OnnxModel model;
    private static float[] audio;
    private static Map<String, ThresholdOverride> thresholds;
    private static List<AudioChunk> good1;
    private static List<AudioChunk> good2;
    private static List<SoundEvent> cleanEvents;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cleanRun(@TempDir Path dir) {
        model = TestModels.load();
        audio = TestAudio.scene(21.3);
        thresholds = TestModels.thresholdsFor(model, audio);
        good1 = TestAudio.chunks("g1", audio, 1600);
        good2 = TestAudio.chunks("g2", audio, new int[] {4000, 160, 2500}, 1_700_000_100_000_000L, true);
        try (TopologyHarness h = new TopologyHarness(model, dir, b -> b.thresholds(thresholds))) {
            interleave(h, new Random(SEED), 0, null);
            cleanEvents = List.copyOf(h.eventLog);
        }
        for (String source : GOOD_SOURCES) {
            assertFalse(eventsOf(cleanEvents, source).isEmpty(), source + ": the clean run should detect events");
        }
    }

    @AfterAll
    static void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void mutatedRecordsGoToTheDeadLetterTopicAndTheGoodStreamsAreUntouched() {
        int records = Integer.getInteger("earshot.fuzz.records", DEFAULT_RECORDS);
        Random rng = new Random(SEED);
        FuzzTally tally = new FuzzTally();
        try (TopologyHarness h = new TopologyHarness(model, tmp.resolve("fuzz"), b -> b.thresholds(thresholds))) {
            long t0 = System.nanoTime();
            interleave(h, rng, records, new Mutator(rng, tally, h));
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (String source : GOOD_SOURCES) {
                assertEquals(eventsOf(cleanEvents, source), eventsOf(h.eventLog, source),
                        source + ": the events with the fuzz around them");
            }
            assertEquals(0, h.registry.find("earshot.detector.chunks.rejected").tag("reason", "processing_failed")
                    .counters().stream().mapToDouble(c -> c.count()).sum(), "records that failed in processing");
            assertEquals(records, tally.sent);
            assertTrue(tally.rejectedByCodec > records / 2, "most mutations should be invalid: " + tally);
            assertTrue(tally.decodable > 0, "some mutations should still decode: " + tally);
            System.out.printf("AudioFuzzTest: %d mutated records (+%d good chunks) in %.1f s: %.0f records/s; %s%n",
                    records, good1.size() + good2.size(), seconds, (records + good1.size() + good2.size()) / seconds, tally);
        }
    }

    private static List<SoundEvent> eventsOf(List<SoundEvent> events, String source) {
        return events.stream().filter(e -> e.sourceId().equals(source)).toList();
    }

    /** Sends both good streams in order with {@code fuzz} mutated records spread randomly between their chunks. */
    private static void interleave(TopologyHarness h, Random rng, int fuzz, Mutator mutator) {
        int total = good1.size() + good2.size() + fuzz;
        int i1 = 0;
        int i2 = 0;
        int sentFuzz = 0;
        for (int n = 0; n < total; n++) {
            int left1 = good1.size() - i1;
            int left2 = good2.size() - i2;
            int leftFuzz = fuzz - sentFuzz;
            int pick = rng.nextInt(left1 + left2 + leftFuzz);
            if (pick < left1) {
                h.send("good-1", good1.get(i1++));
            } else if (pick < left1 + left2) {
                h.send("good-2", good2.get(i2++));
            } else {
                mutator.sendOne();
                sentFuzz++;
            }
        }
        // Good records never go to the dead-letter topic; in the clean run nothing does.
        if (mutator == null) {
            assertTrue(h.dlqLog.isEmpty(), "dead-lettered in the clean run: " + h.dlqLog.size());
        }
    }

    /** Counts per mutation kind and outcome, printed with the rate. */
    static final class FuzzTally {
        int sent;
        int rejectedByCodec;
        int rejectedForKey;
        int decodable;
        int decodableDeadLettered;
        final Map<Kind, Integer> byKind = new EnumMap<>(Kind.class);
        final Map<String, Integer> reasons = new TreeMap<>();

        @Override
        public String toString() {
            return "rejected by the codec " + rejectedByCodec + ", by key " + rejectedForKey + ", decodable " + decodable
                    + " (" + decodableDeadLettered + " of them dead-lettered by admission); kinds " + byKind
                    + "; first words of the reasons " + reasons;
        }
    }

    enum Kind { BIT_FLIPS, TRUNCATION, HEADER_EXTREME, ABSURD_PAYLOAD, GARBAGE, BAD_KEY }

    /** Makes one mutated record at a time, sends it, and checks where it went. */
    static final class Mutator {
        private static final long[] LONG_EXTREMES = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 1,
                Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 53};
        private static final int[] INT_EXTREMES = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 999, 1000,
                768000, 768001, 16000, 8000, 786432, 786433, 0xFFFF};

        private final Random rng;
        private final FuzzTally tally;
        private final TopologyHarness h;
        private final List<byte[]> bases = new ArrayList<>();

        Mutator(Random rng, FuzzTally tally, TopologyHarness h) {
            this.rng = rng;
            this.tally = tally;
            this.h = h;
            // Short chunks of a stream of their own keep the rate up; a few long ones and an end of stream too.
            float[] piece = Arrays.copyOf(audio, 16000 * 2);
            for (AudioChunk c : TestAudio.chunks("fz-" + Long.toHexString(SEED), piece, new int[] {160, 320, 1600, 16000},
                    1_700_000_000_000_000L, true)) {
                bases.add(AudioChunkCodec.encode(c));
            }
            float[] floats = new float[64];
            for (int i = 0; i < floats.length; i++) {
                floats[i] = (float) Math.sin(i);
            }
            bases.add(AudioChunkCodec.encode(floatChunk(floats, 1)));
        }

        void sendOne() {
            Kind kind = Kind.values()[rng.nextInt(Kind.values().length)];
            String key = "fuzz-" + rng.nextInt(8);
            byte[] base = bases.get(rng.nextInt(bases.size()));
            byte[] value = switch (kind) {
                case BIT_FLIPS -> bitFlips(base);
                case TRUNCATION -> Arrays.copyOf(base, rng.nextInt(base.length));
                case HEADER_EXTREME -> headerExtreme(base);
                case ABSURD_PAYLOAD -> absurdPayload();
                case GARBAGE -> garbage();
                case BAD_KEY -> base.clone();
            };
            if (kind == Kind.BAD_KEY) {
                key = switch (rng.nextInt(3)) {
                    case 0 -> null;
                    case 1 -> "";
                    default -> "k".repeat(1025 + rng.nextInt(2000));      // the detector takes up to 1024 bytes
                };
            }
            tally.sent++;
            tally.byKind.merge(kind, 1, Integer::sum);
            int before = h.dlqLog.size();
            try {
                h.sendRaw(key, value);
            } catch (RuntimeException e) {
                throw new AssertionError("the topology threw on a " + kind + " record: " + e, e);
            }
            List<TestRecord<String, byte[]>> added = h.dlqLog.subList(before, h.dlqLog.size());
            check(kind, key, value, added);
            // The harness keeps every output; these are checked, so let them go (100,000 records of up to 768 KiB).
            added.clear();
            h.eventLog.removeIf(e -> !GOOD_SOURCES.contains(e.sourceId()));
            h.scoreLog.clear();
        }

        private void check(Kind kind, String key, byte[] value, List<TestRecord<String, byte[]>> added) {
            DecodeResult decoded = AudioChunkCodec.decode(value);
            boolean badKey = key == null || key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > 1024;
            if (badKey || decoded instanceof DecodeResult.Rejected) {
                if (badKey) {
                    tally.rejectedForKey++;
                } else {
                    tally.rejectedByCodec++;
                }
                if (added.size() != 1) {
                    fail(kind + " record (key " + key + ", " + value.length + " bytes) gave " + added.size()
                            + " dead-letter records instead of 1; codec says " + decoded);
                }
                TestRecord<String, byte[]> dlq = added.get(0);
                String reason = header(dlq, "earshot.dlq.reason");
                String detail = header(dlq, "earshot.dlq.detail");
                assertTrue(CODEC_REASONS.contains(reason), kind + ": reason " + reason);
                assertFalse(detail.isBlank(), kind + ": a reason detail");
                if (!badKey) {
                    assertEquals(((DecodeResult.Rejected) decoded).reason(), detail, kind + ": the codec's reason");
                }
                assertArrayEquals(value, dlq.value(), kind + ": the original bytes");
                tally.reasons.merge(detail.split("[ :]")[0], 1, Integer::sum);
            } else {
                tally.decodable++;
                assertTrue(added.size() <= 1, kind + ": one record gave " + added.size() + " dead-letter records");
                if (added.size() == 1) {
                    String reason = header(added.get(0), "earshot.dlq.reason");
                    assertTrue(ADMISSION_REASONS.contains(reason), kind + " record that decodes was dead-lettered as "
                            + reason + ": " + header(added.get(0), "earshot.dlq.detail"));
                    tally.decodableDeadLettered++;
                }
            }
        }

        private static String header(TestRecord<String, byte[]> r, String name) {
            Header h = r.headers().lastHeader(name);
            assertNotEquals(null, h, "header " + name);
            return new String(h.value(), StandardCharsets.UTF_8);
        }

        /** 1 to 8 flipped bits; three times in four inside the header, where they matter most. */
        private byte[] bitFlips(byte[] base) {
            byte[] b = base.clone();
            int flips = 1 + rng.nextInt(8);
            int headerEnd = Math.min(b.length, AudioChunkCodec.FIXED_HEADER_LENGTH + 64);
            for (int i = 0; i < flips; i++) {
                int at = rng.nextInt(4) < 3 ? rng.nextInt(headerEnd) : rng.nextInt(b.length);
                b[at] ^= (byte) (1 << rng.nextInt(8));
            }
            return b;
        }

        /** One header field set to an extreme value. */
        private byte[] headerExtreme(byte[] base) {
            ByteBuffer b = ByteBuffer.wrap(base.clone()).order(ByteOrder.BIG_ENDIAN);
            switch (rng.nextInt(11)) {
                case 0 -> b.putInt(0, INT_EXTREMES[rng.nextInt(INT_EXTREMES.length)]);                  // magic
                case 1 -> b.put(4, (byte) (rng.nextBoolean() ? 0 : 0xFF));                             // version
                case 2 -> b.put(5, (byte) (rng.nextBoolean() ? 0xFF : 0xFE));                          // flags
                case 3 -> b.putShort(6, (short) (rng.nextBoolean() ? 0xFFFF : rng.nextInt(45)));       // header length
                case 4 -> b.putLong(8, LONG_EXTREMES[rng.nextInt(LONG_EXTREMES.length)]);              // sequence
                case 5 -> b.putLong(16, LONG_EXTREMES[rng.nextInt(LONG_EXTREMES.length)]);             // first sample
                case 6 -> b.putLong(24, LONG_EXTREMES[rng.nextInt(LONG_EXTREMES.length)]);             // capture time
                case 7 -> b.putInt(32, INT_EXTREMES[rng.nextInt(INT_EXTREMES.length)]);                // sample rate
                case 8 -> b.putShort(36, (short) (rng.nextBoolean() ? 0xFFFF : rng.nextInt(3) * 32));  // channels
                case 9 -> b.put(38 + rng.nextInt(2), (byte) (rng.nextBoolean() ? 0xFF : 0));           // encoding / id length
                default -> b.putInt(40, INT_EXTREMES[rng.nextInt(INT_EXTREMES.length)]);               // payload length
            }
            return b.array();
        }

        /** A header that is valid on its own with a payload that is not: NaN, infinities, huge, ragged, lying. */
        private byte[] absurdPayload() {
            return switch (rng.nextInt(7)) {
                case 0 -> AudioChunkCodec.encode(floatChunk(new float[] {0f, Float.NaN, 1f}, 1));
                case 1 -> AudioChunkCodec.encode(floatChunk(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 2));
                case 2 -> AudioChunkCodec.encode(floatChunk(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE,
                        Float.MIN_VALUE, -0f}, 1));
                case 3 -> {
                    // A payload that is not a whole number of 3-byte s24 frames (header rewritten to match its size).
                    byte[] ok = AudioChunkCodec.encode(new AudioChunk("ab", 0, 0, 0, 16000, 1, SampleEncoding.PCM_S16LE,
                            false, new byte[6]));
                    ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(ok, ok.length - 2)).order(ByteOrder.BIG_ENDIAN);
                    b.put(38, (byte) SampleEncoding.PCM_S24LE.wireCode()).putInt(40, 4);
                    yield b.array();
                }
                case 4 -> {
                    // The largest payload the format allows, all full-scale samples, at a rate the model does not take.
                    byte[] payload = new byte[AudioChunk.MAX_PAYLOAD_BYTES];
                    Arrays.fill(payload, (byte) 0x7F);
                    yield AudioChunkCodec.encode(new AudioChunk("big", rng.nextInt(100), 0, 0, 768000, 64,
                            SampleEncoding.PCM_S16LE, false, payload));
                }
                case 5 -> {
                    // A header that declares more payload than the record holds, or less.
                    byte[] ok = bases.get(rng.nextInt(bases.size())).clone();
                    ByteBuffer b = ByteBuffer.wrap(ok).order(ByteOrder.BIG_ENDIAN);
                    int declared = b.getInt(40);
                    b.putInt(40, rng.nextBoolean() ? declared + 2 : Math.max(0, declared - 2));
                    yield ok;
                }
                default -> {
                    // End of stream with a payload, and a data chunk with none.
                    byte[] ok = AudioChunkCodec.encode(new AudioChunk("eos", 5, 100, 0, 16000, 1, SampleEncoding.PCM_S16LE,
                            rng.nextBoolean(), new byte[rng.nextBoolean() ? 0 : 4]));
                    yield ok;
                }
            };
        }

        private byte[] garbage() {
            byte[] b = new byte[rng.nextInt(4) == 0 ? rng.nextInt(8) : rng.nextInt(4096)];
            rng.nextBytes(b);
            if (b.length >= 5 && rng.nextBoolean()) {
                // the right magic and version, random after that
                ByteBuffer.wrap(b).putInt(0, AudioChunkCodec.MAGIC).put(4, (byte) 1);
            }
            return b;
        }

        private static AudioChunk floatChunk(float[] samples, int channels) {
            ByteBuffer b = ByteBuffer.allocate(samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float s : samples) {
                b.putFloat(s);
            }
            return new AudioChunk("flt", 0, 0, 0, 16000, channels, SampleEncoding.FLOAT32LE, false, b.array());
        }
    }
}
