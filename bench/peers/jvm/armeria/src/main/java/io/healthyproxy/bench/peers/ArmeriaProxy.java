package io.healthyproxy.bench.peers;

import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.client.endpoint.EndpointSelectionStrategy;
import com.linecorp.armeria.client.endpoint.healthcheck.HealthCheckedEndpointGroup;
import com.linecorp.armeria.client.retry.RetryRule;
import com.linecorp.armeria.client.retry.RetryingClient;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;

/**
 * Armeria in front of the benchmark's backends: {@code ArmeriaProxy PORT BACKEND_PORT...}; port 0 binds one the
 * kernel picks, printed as {@code listening on 127.0.0.1:PORT } for the scenario runner.
 *
 * <p>Configured as Armeria's proxy-server example and its client-side load-balancing docs show: a round-robin
 * {@link EndpointGroup} behind a {@link HealthCheckedEndpointGroup} (GET /health every second, as the other
 * peers check), and a {@link RetryingClient} that tries another endpoint on a 5xx or a request no backend
 * processed, for GET and HEAD only (a retried request body would be held in memory for the retry). Length
 * and time limits are lifted (Armeria's defaults: 10 MiB and 10 s), as for a proxy that streams long
 * downloads and uploads; idle client connections are closed after 60 s, as HealthyProxy's are.
 */
public final class ArmeriaProxy {

    private ArmeriaProxy() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Endpoint[] endpoints = Arrays.stream(args).skip(1).map(p -> Endpoint.of("127.0.0.1", Integer.parseInt(p)))
                .toArray(Endpoint[]::new);
        HealthCheckedEndpointGroup healthy = HealthCheckedEndpointGroup.builder(
                        EndpointGroup.of(EndpointSelectionStrategy.roundRobin(), endpoints), "/health")
                .protocol(SessionProtocol.HTTP)
                .retryInterval(Duration.ofSeconds(1))
                .build();
        healthy.whenReady().get();
        WebClient plain = WebClient.builder(SessionProtocol.HTTP, healthy)
                .responseTimeout(Duration.ZERO)
                .maxResponseLength(0)
                .build();
        WebClient retrying = WebClient.builder(SessionProtocol.HTTP, healthy)
                .responseTimeout(Duration.ZERO)
                .maxResponseLength(0)
                .decorator(RetryingClient.builder(RetryRule.builder().onServerErrorStatus().onUnprocessed().thenBackoff())
                        .maxTotalAttempts(3)
                        .responseTimeoutForEachAttempt(Duration.ofSeconds(1))
                        .newDecorator())
                .build();
        Server server = Server.builder()
                .http(new InetSocketAddress("127.0.0.1", port))
                .maxRequestLength(0)
                .requestTimeout(Duration.ZERO)
                .idleTimeout(Duration.ofSeconds(60))
                .serviceUnder("/", (ctx, req) -> req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD
                        ? retrying.execute(req) : plain.execute(req))
                .build();
        server.closeOnJvmShutdown();
        server.start().join();
        System.out.println("listening on 127.0.0.1:" + server.activeLocalPort() + " (armeria)");
    }
}
