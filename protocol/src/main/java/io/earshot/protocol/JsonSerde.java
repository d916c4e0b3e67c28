package io.earshot.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serde for the JSON records of this package (events, scores, energy reports, levels). */
public final class JsonSerde<T> implements Serde<T> {

    /** One shared mapper: thread-safe once configured. Unknown fields are ignored so readers tolerate newer writers. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Class<T> type;

    public JsonSerde(Class<T> type) {
        this.type = type;
    }

    public static JsonSerde<SoundEvent> soundEvents() {
        return new JsonSerde<>(SoundEvent.class);
    }

    public static JsonSerde<FrameScores> frameScores() {
        return new JsonSerde<>(FrameScores.class);
    }

    public static JsonSerde<EnergyReport> energyReports() {
        return new JsonSerde<>(EnergyReport.class);
    }

    public static JsonSerde<SourceLevels> sourceLevels() {
        return new JsonSerde<>(SourceLevels.class);
    }

    public byte[] toBytes(T value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + type.getSimpleName() + " as JSON", e);
        }
    }

    public T fromBytes(byte[] bytes) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new SerializationException("not a valid " + type.getSimpleName() + " JSON record: " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : toBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : fromBytes(bytes);
    }
}
