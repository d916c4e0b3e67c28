package io.earshot.detector.state;

import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The Kafka serde of a state value class, from the class's own binary form (toBytes / fromBytes). */
public final class StateSerde<T> implements Serde<T> {

    private final Function<T, byte[]> write;
    private final Function<byte[], T> read;

    public StateSerde(Function<T, byte[]> write, Function<byte[], T> read) {
        this.write = write;
        this.read = read;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : write.apply(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read.apply(bytes);
    }
}
