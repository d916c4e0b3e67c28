package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.broker.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code earshot broker} in-process, talks to it as a client, then stops it as Ctrl-C would. */
class BrokerCommandTest {

    @Test
    void brokerCommandServesClientsAndStopsCleanly(@TempDir Path dataDir) throws Exception {
        CommandLine cli = Main.commandLine(ConfigSources.environment(Map.of()));
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        BrokerCommand broker = cli.getSubcommands().get("broker").getCommand();

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cli.execute("broker", "--port", "0", "--data-dir", dataDir.toString(),
                        "--broker-property", "num.partitions=3"));
        EmbeddedKafkaBroker running = broker.started().get(60, TimeUnit.SECONDS);

        Properties props = new Properties();
        props.put("bootstrap.servers", running.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic("earshot.audio", java.util.Optional.empty(), java.util.Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
            int partitions = partitionsOnceKnown(admin, "earshot.audio");
            assertEquals(3, partitions, "--broker-property reaches the broker");
        }
        assertTrue(out.toString().contains("Kafka broker listening on " + running.bootstrapServers()), out.toString());

        broker.stop();
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
        assertTrue(out.toString().contains("Kafka broker stopped."), out.toString());
        assertTrue(Files.exists(dataDir.resolve("cluster.id")), "the data dir is kept for the next start");
        assertTrue(Files.exists(dataDir.resolve("kraft/meta.properties")));
    }

    /** The topic's partition count once the broker's metadata has it: right after createTopics a loaded
     *  machine may still answer UnknownTopicOrPartition for a moment. */
    private static int partitionsOnceKnown(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
