package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waiting for servers to come up, with deadlines. */
final class Readiness {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
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
