package io.earshot.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.earshot.protocol.JsonSerde;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running dashboard: a topic reader, a lag poller and the JDK's HTTP server with the page (static
 * files from the jar), {@code /stream} (Server-Sent Events, one coalesced update per push interval and
 * browser) and {@code /api/state} (everything as JSON).
 */
public final class DashboardService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardService.class);
    private static final String WEB = "/io/earshot/dashboard/web/";
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html text/html; charset=utf-8",
            "/index.html", "index.html text/html; charset=utf-8",
            "/app.js", "app.js text/javascript; charset=utf-8",
            "/style.css", "style.css text/css; charset=utf-8");
    /** Browsers served at once; each holds one thread while its stream is open. */
    static final int MAX_STREAMS = 64;
    private static final long HEARTBEAT_MILLIS = 15_000;

    private final DashboardConfig config;
    private final DashboardState state;
    private final TopicReader reader;
    private final Thread readerThread;
    private final LagPoller lag;
    private final ScheduledExecutorService scheduler;
    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final AtomicInteger openStreams = new AtomicInteger();
    private volatile boolean closing;

    private DashboardService(DashboardConfig config) throws IOException {
        this.config = config;
        this.state = new DashboardState(System::currentTimeMillis);
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("dashboard bind address " + config.bindAddress() + " is not known");
        }
        try {
            this.server = HttpServer.create(address, 0);
        } catch (BindException e) {
            throw new IllegalArgumentException("cannot serve the dashboard on " + config.bindAddress() + ":"
                    + config.port() + ": " + e.getMessage() + " (another --port or --bind?)", e);
        }
        AtomicInteger n = new AtomicInteger();
        this.httpThreads = Executors.newCachedThreadPool(r -> daemon(r, "earshot-dashboard-http-" + n.incrementAndGet()));
        server.setExecutor(httpThreads);
        server.createContext("/", this::serve);
        this.reader = new TopicReader(config.kafka(), config.topics(), state, config.history());
        this.readerThread = daemon(reader, "earshot-dashboard-reader");
        this.lag = new LagPoller(config.kafka(), config.topics().audio(), config.detectorGroupId());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "earshot-dashboard-lag"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts reading the topics and serving the page; returns once the HTTP port is open. */
    public static DashboardService start(DashboardConfig config) {
        try {
            DashboardService s = new DashboardService(config);
            s.readerThread.start();
            s.scheduler.scheduleWithFixedDelay(() -> s.lag.poll(s.state), 0, 2, TimeUnit.SECONDS);
            s.server.start();
            LOG.info("dashboard on {} reading {} (detector group {})", s.uri(), config.kafka().getProperty("bootstrap.servers"),
                    config.detectorGroupId());
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the dashboard's HTTP server: " + e.getMessage(), e);
        }
    }

    /** The page's address; a wildcard bind is shown as the loopback address. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                text(ex, 405, "only GET\n");
            } else if (path.equals("/stream")) {
                stream(ex);
            } else if (path.equals("/api/state")) {
                byte[] body = JsonSerde.MAPPER.writeValueAsBytes(state.snapshot());
                send(ex, 200, "application/json", body);
            } else if (ASSETS.containsKey(path)) {
                String[] asset = ASSETS.get(path).split(" ", 2);
                try (InputStream in = DashboardService.class.getResourceAsStream(WEB + asset[0])) {
                    if (in == null) {
                        text(ex, 500, "asset " + asset[0] + " is missing from the jar\n");
                        return;
                    }
                    send(ex, 200, asset[1], in.readAllBytes());
                }
            } else {
                text(ex, 404, "not found: " + path + "\n");
            }
        } catch (IOException e) {
            // the browser went away
        }
    }

    private static void text(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            ex.getResponseBody().write(body);
        }
    }

    /** One browser's Server-Sent Events: an {@code update} message per push interval in which something changed. */
    private void stream(HttpExchange ex) throws IOException {
        if (openStreams.incrementAndGet() > MAX_STREAMS) {
            openStreams.decrementAndGet();
            text(ex, 503, "the dashboard serves at most " + MAX_STREAMS + " browsers at once\n");
            return;
        }
        try {
            DashboardState.Cursor cursor = new DashboardState.Cursor(query(ex.getRequestURI(), "source"));
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            long lastWrite = System.currentTimeMillis();
            long interval = config.pushInterval().toMillis();
            while (!closing) {
                ObjectNode update = state.update(cursor);
                long now = System.currentTimeMillis();
                if (update != null) {
                    out.write(("event: update\ndata: " + JsonSerde.MAPPER.writeValueAsString(update) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite = now;
                } else if (now - lastWrite > HEARTBEAT_MILLIS) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite = now;
                }
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            openStreams.decrementAndGet();
        }
    }

    static String query(URI uri, String name) {
        String q = uri.getRawQuery();
        if (q == null) {
            return null;
        }
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                String v = URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    @Override
    public void close() {
        closing = true;
        server.stop(0);
        httpThreads.shutdownNow();
        scheduler.shutdownNow();
        reader.stop();
        try {
            readerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lag.close();
        LOG.info("dashboard stopped");
    }
}
