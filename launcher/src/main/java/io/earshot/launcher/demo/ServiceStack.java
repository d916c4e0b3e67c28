package io.earshot.launcher.demo;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's running services, closed in reverse start order. Closing runs with the thread's interrupt
 * flag cleared (and restored afterwards): after Ctrl-C interrupted the demo, the services must still
 * shut down cleanly, and Kafka clients would otherwise abandon their close half-way.
 */
final class ServiceStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceStack.class);

    private final Deque<AutoCloseable> services = new ArrayDeque<>();

    <T extends AutoCloseable> T push(T service) {
        services.push(service);
        return service;
    }

    /** Closes one service now (it is not closed again at the end). */
    void closeNow(AutoCloseable service) {
        if (services.remove(service)) {
            closeUninterrupted(service);
        }
    }

    @Override
    public void close() {
        while (!services.isEmpty()) {
            closeUninterrupted(services.pop());
        }
    }

    private static void closeUninterrupted(AutoCloseable service) {
        boolean interrupted = Thread.interrupted();
        try {
            service.close();
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", service.getClass().getSimpleName(), e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
