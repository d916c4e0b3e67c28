package io.earshot.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Kafka Streams settings the detector starts with. */
class StreamsPropertiesTest {

    private static final String GLOBAL_HANDLER = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;

    private static Properties detectorProperties() {
        Properties kafka = new Properties();
        kafka.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        return DetectorService.streamsProperties(DetectorConfig.builder(kafka).model(Path.of("m.onnx")).build());
    }

    /** What Kafka Streams logs while it reads the given settings (slf4j-simple writes to System.err). */
    private static String logOf(Properties props) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new StreamsConfig(props);
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exactlyOnceV2ByDefault() {
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, detectorProperties().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    @Test
    void noWarningAboutTheGlobalProcessingExceptionHandler() {
        // The topology has no global stores, so enabling the handler for them changes nothing but the warning.
        Properties props = detectorProperties();
        assertFalse(logOf(props).contains(GLOBAL_HANDLER), "Kafka Streams warned about " + GLOBAL_HANDLER);
        props.remove(GLOBAL_HANDLER);
        assertTrue(logOf(props).contains(GLOBAL_HANDLER), "without the setting Kafka Streams warns (the capture works)");
    }
}
