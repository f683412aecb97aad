package io.healthyproxy.testkit;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** The JDK's HTTP/1.1 client, talking to a {@link ControllableBackend} directly, with no proxy in between. */
final class DirectClient {

    /** "Should happen" bound: generous, so that a loaded machine does not fail a test. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    /** "Should not happen within" bound: short, since a test waits it out in full. */
    static final Duration BRIEFLY = Duration.ofMillis(300);

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();

    private DirectClient() {
    }

    static HttpResponse<String> get(ControllableBackend backend, String path) throws IOException, InterruptedException {
        return get(backend, path, PATIENCE);
    }

    static HttpResponse<String> get(ControllableBackend backend, String path, Duration timeout)
            throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(backend.uri(path)).timeout(timeout).build(), BodyHandlers.ofString());
    }
}
