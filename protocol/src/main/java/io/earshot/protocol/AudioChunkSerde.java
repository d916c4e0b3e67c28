package io.earshot.protocol;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde of the audio topic's values. The deserializer never throws: a malformed record comes out
 * as a {@link DecodeResult.Rejected} (with its reason) so a Kafka Streams topology can route it to the
 * dead-letter topic instead of failing. Producers that hold plain chunks use {@link #chunkSerializer()}.
 */
public final class AudioChunkSerde implements Serde<DecodeResult> {

    @Override
    public Serializer<DecodeResult> serializer() {
        return (topic, result) -> {
            if (result == null) {
                return null;
            }
            if (result instanceof DecodeResult.Decoded decoded) {
                return AudioChunkCodec.encode(decoded.chunk());
            }
            // A rejection has no chunk to write; the original bytes belong on the DLQ instead.
            throw new SerializationException("cannot serialize a rejected audio record: " + ((DecodeResult.Rejected) result).reason());
        };
    }

    @Override
    public Deserializer<DecodeResult> deserializer() {
        return (topic, bytes) -> AudioChunkCodec.decode(bytes);
    }

    /** Serializer for producers of the audio topic. */
    public static Serializer<AudioChunk> chunkSerializer() {
        return (topic, chunk) -> chunk == null ? null : AudioChunkCodec.encode(chunk);
    }

    /** Kafka-configurable serializer class for producers (value.serializer). */
    public static final class ChunkSerializer implements Serializer<AudioChunk> {
        @Override
        public byte[] serialize(String topic, AudioChunk chunk) {
            return chunk == null ? null : AudioChunkCodec.encode(chunk);
        }
    }

    /** Kafka-configurable deserializer class for consumers (value.deserializer); never throws. */
    public static final class ResultDeserializer implements Deserializer<DecodeResult> {
        @Override
        public DecodeResult deserialize(String topic, byte[] bytes) {
            return AudioChunkCodec.decode(bytes);
        }
    }
}
