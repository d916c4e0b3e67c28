package io.earshot.telemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Prometheus registry for one Earshot process, with the JVM and process binders bound, optionally
 * served over HTTP at {@code /metrics} in the Prometheus text format.
 *
 * <p>Every meter carries the common tag {@code service} (ingest, detector, sink, demo) so that several
 * processes scraped into one Prometheus stay apart. Use {@link #registry()} to register the
 * service's own meters.
 */
public final class MetricsEndpoint implements AutoCloseable {

    /** Path the scrape is served on; {@code /} answers too, for people poking with curl. */
    public static final String PATH = "/metrics";

    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> binders;
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(PrometheusMeterRegistry registry, List<AutoCloseable> binders,
                            HttpServer server, ExecutorService executor) {
        this.registry = registry;
        this.binders = binders;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Creates the registry and serves it on {@code port} of all interfaces (0 picks a free port).
     *
     * @param service value of the common {@code service} tag
     * @param port    TCP port, 0 for a free one
     * @throws UncheckedIOException naming the port when it cannot be bound
     */
    public static MetricsEndpoint start(String service, int port) {
        return start(service, "0.0.0.0", port);
    }

    /** As {@link #start(String, int)}, bound to one host address (tests use 127.0.0.1). */
    public static MetricsEndpoint start(String service, String host, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics port must be 0..65535, got " + port);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<AutoCloseable> binders = bindJvmAndProcess(registry, service);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            closeAll(binders);
            registry.close();
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        // One small daemon thread: a scrape takes milliseconds and must never keep the JVM alive.
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "earshot-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, registry));
        server.start();
        return new MetricsEndpoint(registry, binders, server, executor);
    }

    /** A registry with the same binders and tags but no HTTP server (for when no port was asked for). */
    public static MetricsEndpoint withoutHttp(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new MetricsEndpoint(registry, bindJvmAndProcess(registry, service), null, null);
    }

    private static List<AutoCloseable> bindJvmAndProcess(MeterRegistry registry, String service) {
        registry.config().commonTags("service", service);
        List<AutoCloseable> closeables = new ArrayList<>();
        JvmGcMetrics gc = new JvmGcMetrics();
        closeables.add(gc);
        JvmThreadMetrics threads = new JvmThreadMetrics();
        List<MeterBinder> all = List.of(new JvmMemoryMetrics(), gc, threads, new ClassLoaderMetrics(),
                new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics());
        for (MeterBinder binder : all) {
            binder.bindTo(registry);
        }
        return closeables;
    }

    private static void serve(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals(PATH) && !path.equals("/")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The registry to add this service's meters to. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The current scrape in Prometheus text format (what {@code GET /metrics} returns). */
    public String scrape() {
        return registry.scrape();
    }

    /** True when an HTTP server is running. */
    public boolean serving() {
        return server != null;
    }

    /** The bound port (the chosen one when started with 0); -1 without HTTP. */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** http://host:port/metrics for a local scraper; null without HTTP. */
    public URI uri() {
        if (server == null) {
            return null;
        }
        String host = server.getAddress().getAddress().isAnyLocalAddress()
                ? "127.0.0.1" : server.getAddress().getAddress().getHostAddress();
        return URI.create("http://" + host + ":" + port() + PATH);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
        closeAll(binders);
        registry.close();
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // a binder that fails to unregister its listener leaves nothing behind worth reporting
            }
        }
    }
}
