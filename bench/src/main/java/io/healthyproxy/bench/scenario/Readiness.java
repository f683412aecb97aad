package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Waiting for servers to come up, with deadlines. */
final class Readiness {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** HealthyProxy's start-up line: {@code listening on 127.0.0.1:PORT (epoll), admin on ...}. */
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) ");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    private Readiness() {
    }

    static void awaitPort(int port, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException(what + " did not listen on port " + port + " within " + PATIENCE);
    }

    /** Until HealthyProxy's start-up line appears in {@code log} after byte {@code from}: the port it names. */
    static int awaitListening(Path log, long from, String what) throws InterruptedException {
        return awaitListening(log, from, what, 20);
    }

    /** As {@link #awaitListening(Path, long, String)}, looking every {@code pollMillis} (start-up timing: 1). */
    static int awaitListening(Path log, long from, String what, long pollMillis) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher listening = LISTENING.matcher(tail(log, from));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            Thread.sleep(pollMillis);
        }
        throw new IllegalStateException(what + " did not say where it listens within " + PATIENCE + " (see " + log + ")");
    }

    static String tail(Path log, long from) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Until {@code GET /} answers 200 three times in a row (the proxy sees its backends). */
    static void awaitServing(int port, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int ok = 0;
        while (ok < 3) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not serve GET / within " + PATIENCE);
            }
            try {
                HttpResponse<Void> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                ok = r.statusCode() == 200 ? ok + 1 : 0;
            } catch (IOException notYet) {
                ok = 0;
                Thread.sleep(50);
            }
        }
    }
}
