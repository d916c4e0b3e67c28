package io.earshot.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the Earshot topics that do not exist yet, with the broker's default replication factor. The
 * one place topics are created (the detector at start, the demo); a topic another process created in
 * the meantime counts as created.
 */
public final class TopicCreation {

    private static final long TIMEOUT_SECONDS = 30;

    private TopicCreation() {
    }

    /**
     * Creates each topic of {@code partitions} that is missing, with that many partitions.
     *
     * @param kafka      client properties (bootstrap servers, security)
     * @param partitions topic name to partition count
     * @return the topics this call created, in the map's order
     * @throws IllegalStateException naming the topics and the bootstrap servers when the broker cannot be
     *                               asked or refuses
     */
    public static List<String> createMissing(Properties kafka, Map<String, Integer> partitions) {
        try (Admin admin = Admin.create(kafka)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            partitions.forEach((topic, n) -> {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, Optional.of(n), Optional.empty()));
                }
            });
            if (missing.isEmpty()) {
                return List.of();
            }
            try {
                admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot create topics " + partitions.keySet() + " at "
                    + kafka.getProperty("bootstrap.servers") + ": " + cause.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + partitions.keySet(), e);
        }
    }
}
