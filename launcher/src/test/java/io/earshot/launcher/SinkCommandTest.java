package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.broker.EmbeddedKafkaBroker;
import io.earshot.protocol.EventIds;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code earshot sink} end to end on the in-process broker. */
class SinkCommandTest {

    @TempDir
    Path dir;

    private static SoundEvent end(String source, String label, long onset, long offset) {
        long t0 = 1_795_000_000_000_000L;
        return new SoundEvent(EventIds.of(source, "s1", label, onset), source, "s1", label, SoundEvent.State.END, onset,
                offset, 16_000, onset / 16_000.0, offset / 16_000.0, t0 + onset * 1_000_000L / 16_000,
                t0 + offset * 1_000_000L / 16_000, 0.8, "earshot-sed", "1");
    }

    @Test
    void drainsTheEventsTopicIntoATsvAndTheConsole() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            Topics topics = Topics.withPrefix("cmd.");
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<String, byte[]> producer =
                         new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                for (SoundEvent e : List.of(end("a.wav", "Dog", 16_000, 32_000), end("b.wav", "Speech", 0, 8_000))) {
                    producer.send(new ProducerRecord<>(topics.events(), e.sourceId(), JsonSerde.soundEvents().toBytes(e)))
                            .get();
                }
            }
            Path tsv = dir.resolve("events.tsv");
            MainTest.Result r = MainTest.run(Map.of(), "sink", "--bootstrap-server", broker.bootstrapServers(),
                    "--topic-prefix", "cmd.", "--console", "--tsv", tsv.toString(), "--drain", "--drain-timeout", "60");
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(List.of("filename\tonset\toffset\tevent_label", "a.wav\t1.000000\t2.000000\tDog",
                    "b.wav\t0.000000\t0.500000\tSpeech"), Files.readAllLines(tsv).stream().sorted(
                            (x, y) -> x.startsWith("filename") ? -1 : y.startsWith("filename") ? 1 : x.compareTo(y)).toList());
            assertEquals(2, r.out().lines().filter(l -> l.contains("  END  ")).count(), r.out());
        }
    }

    @Test
    void aSinkWithNoOutputIsAUsageError() {
        MainTest.Result r = MainTest.run(Map.of(), "sink", "--bootstrap-server", "127.0.0.1:1");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--console") && r.err().contains("--scores-dir"), r.err());
    }
}
