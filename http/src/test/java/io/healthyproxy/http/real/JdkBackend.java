package io.healthyproxy.http.real;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ordinary web application for tests: the JDK's own HTTP server (not this project's code), with
 * {@code /health}, a name on {@code /}, and whatever endpoints a test adds. {@link #delay} slows every answer
 * on {@code /} as a busy or slow application would.
 */
public final class JdkBackend implements AutoCloseable {

    private final String name;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(64);
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicLong delayMillis = new AtomicLong();

    private JdkBackend(String name) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(workers);
        server.createContext("/health", exchange -> answer(exchange, 200, "ok"));
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            sleep(delayMillis.get());
            answer(exchange, 200, name);
        });
        server.start();
    }

    public static JdkBackend start(String name) {
        return new JdkBackend(name);
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public JdkBackend route(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    /** Every answer on {@code /} takes this long from now on. */
    public void delay(long millis) {
        delayMillis.set(millis);
    }

    /** Requests served on {@code /}. */
    public int served() {
        return served.get();
    }

    public static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The backend's own pause, as an application's work would take: not a test waiting for time to pass. */
    public static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
