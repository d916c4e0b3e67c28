package io.earshot.ingest;

import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkSerde;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes audio chunks to the audio topic: key = source id, value = wire format v1, record timestamp =
 * the chunk's capture time. The producer is idempotent with {@code acks=all}, so retries neither
 * duplicate nor reorder a source's chunks in its partition, and compressed (lz4 unless the caller's
 * properties choose another codec, e.g. {@code compression.type=zstd}). Thread-safe.
 */
public final class AudioChunkProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AudioChunkProducer.class);
    public static final String DEFAULT_COMPRESSION = "lz4";

    private final Producer<String, AudioChunk> producer;
    private final String topic;
    private final IngestMetrics metrics;

    public AudioChunkProducer(Properties clientProperties, String topic, IngestMetrics metrics) {
        this(new KafkaProducer<>(producerProperties(clientProperties)), topic, metrics);
    }

    AudioChunkProducer(Producer<String, AudioChunk> producer, String topic, IngestMetrics metrics) {
        this.producer = producer;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * The caller's Kafka client properties plus what the audio topic needs. Delivery guarantees are not
     * negotiable: idempotence and acks=all override whatever was passed; compression defaults to lz4.
     */
    public static Properties producerProperties(Properties clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, DEFAULT_COMPRESSION);
        io.earshot.protocol.KafkaClientDefaults.applyTo(p);
        if ("none".equals(p.getProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG))) {
            LOG.warn("compression.type=none requested for audio; sending uncompressed");
        }
        Object acks = p.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !"all".equals(acks.toString()) && !"-1".equals(acks.toString())) {
            LOG.warn("ignoring acks={} for audio: chunks are always sent with acks=all", acks);
        }
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "earshot-ingest");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AudioChunkSerde.ChunkSerializer.class.getName());
        return p;
    }

    /**
     * Sends one chunk of {@code sourceId}. The metrics count it once Kafka acknowledges it; {@code then}
     * (may be null) is called after that with the outcome. May block while the producer's buffer is full
     * or metadata is unavailable (up to {@code max.block.ms}) and then throws a Kafka exception.
     */
    public Future<RecordMetadata> send(String sourceId, AudioChunk chunk, Callback then) {
        ProducerRecord<String, AudioChunk> record = new ProducerRecord<>(topic, null, chunk.captureTimeMillis(), sourceId, chunk);
        return producer.send(record, (metadata, error) -> {
            if (error == null) {
                metrics.chunkSent(sourceId);
                metrics.audioSent(sourceId, chunk.durationSeconds());
            } else {
                metrics.sendError(sourceId);
            }
            if (then != null) {
                then.onCompletion(metadata, error);
            }
        });
    }

    /** Waits until every chunk sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    public String topic() {
        return topic;
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration timeout) {
        producer.close(timeout);
    }
}
