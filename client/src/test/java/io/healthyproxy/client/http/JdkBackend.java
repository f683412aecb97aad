package io.healthyproxy.client.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend on 127.0.0.1 (the JDK's {@code HttpServer}) that answers its name with the status the
 * test sets, optionally after a delay, counts the requests it got, and can be stopped for good.
 */
final class JdkBackend implements AutoCloseable {

    final String name;
    final AtomicInteger requests = new AtomicInteger();
    volatile int status = 200;
    volatile Duration delay = Duration.ZERO;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    JdkBackend(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals("/health")) {
                    requests.incrementAndGet();
                    Thread.sleep(delay.toMillis());        // the slow backend: a thread of its own per request
                }
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Stops listening: later connections are refused. */
    void die() {
        server.stop(0);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
