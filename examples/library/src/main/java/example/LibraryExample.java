package example;

import com.sun.net.httpserver.HttpServer;
import io.healthyproxy.client.BackendCaller;
import io.healthyproxy.client.http.HealthyHttpClient;
import io.healthyproxy.client.http.ServiceRequest;
import io.healthyproxy.core.Backend;
import io.healthyproxy.core.health.HealthCheckConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Two local HTTP backends behind one {@link HealthyHttpClient}: both serve, then one dies, and every request is
 * still answered while its circuit opens and its health checks fail. Then the same core around plain objects,
 * with {@link BackendCaller}. Fails if any request went unanswered.
 */
public final class LibraryExample {

    public static void main(String[] args) throws Exception {
        HttpServer alpha = backend("alpha");
        HttpServer beta = backend("beta");
        int failures = 0;
        try (HealthyHttpClient service = HealthyHttpClient.builder()
                .backend(uri(alpha)).backend(uri(beta))
                .healthCheck("/health", HealthCheckConfig.builder().interval(Duration.ofMillis(200))
                        .unhealthyInterval(Duration.ofMillis(100)).timeout(Duration.ofMillis(200)).build())
                .circuitListener(e -> System.out.println("  circuit " + e.breaker() + ": " + e.transition().describe()))
                .build()) {
            System.out.println("Both backends up:");
            failures += send(service, 6);

            beta.stop(0);
            System.out.println("beta is gone:");
            failures += send(service, 10);
            Backend down = service.group().find(uri(beta).toString()).orElseThrow();
            System.out.println("beta: circuit " + down.breaker().state().label() + ", failed calls " + down.failed());
        } finally {
            alpha.stop(0);
        }

        // The same breakers, balancing and retries around anything: here, two "replicas" that are plain maps.
        Map<String, String> replica1 = Map.of("greeting", "hello from replica 1");
        Map<String, String> replica2 = Map.of("greeting", "hello from replica 2");
        try (BackendCaller<Map<String, String>> replicas = BackendCaller.<Map<String, String>>builder()
                .backend("replica-1", replica1).backend("replica-2", replica2).build()) {
            for (int i = 0; i < 2; i++) {
                String answer = replicas.call(r -> CompletableFuture.completedFuture(r.get("greeting"))).get();
                System.out.println("BackendCaller: " + answer);
            }
        }
        if (failures > 0) {
            throw new IllegalStateException(failures + " requests failed");    // fails the run (exec:java)
        }
        System.out.println("Every request was answered.");
    }

    /** Sends {@code count} GETs, prints who answered them; returns how many failed. */
    private static int send(HealthyHttpClient service, int count) throws InterruptedException {
        Map<String, Integer> answeredBy = new TreeMap<>();
        int failed = 0;
        for (int i = 0; i < count; i++) {
            try {
                HttpResponse<String> r = service.send(ServiceRequest.get("/hello"), BodyHandlers.ofString());
                answeredBy.merge(r.body() + " (" + r.statusCode() + ")", 1, Integer::sum);
            } catch (IOException | RuntimeException e) {
                failed++;
                System.out.println("  failed: " + e);
            }
        }
        System.out.println("  answered by " + answeredBy);
        return failed;
    }

    private static HttpServer backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static URI uri(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private LibraryExample() {
    }
}
