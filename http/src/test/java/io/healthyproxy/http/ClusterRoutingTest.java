package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.HeaderEdits;
import io.healthyproxy.http.config.PathRewrite;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RouteConfig;
import io.healthyproxy.http.config.RouteMatch;
import io.healthyproxy.testkit.ControllableBackend;
import io.healthyproxy.testkit.RawConnection;
import io.healthyproxy.testkit.ReceivedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One proxy in front of two services, through real sockets: requests routed by Host and by path to two
 * clusters, each with its own backends, breakers and balancing; a path prefix stripped and headers edited on
 * the way; a request no route takes answered 404 by the proxy itself.
 */
@Timeout(60)
class ClusterRoutingTest {

    private ControllableBackend api1;
    private ControllableBackend api2;
    private ControllableBackend web;
    private HttpProxy proxy;

    @BeforeEach
    void start() throws InterruptedException {
        api1 = ControllableBackend.start("api-1");
        api2 = ControllableBackend.start("api-2");
        web = ControllableBackend.start("web");
        // No health checks: the assertions read each backend's last request and count, which probes would change.
        ProxyConfig.Builder b = ProxyHarness.withoutHealthChecks(ProxyHarness.fast().clearBackends());
        ClusterConfig api = b.clusterBuilder("api")
                .backend(new BackendConfig("api-1", Endpoint.parse(api1.address())))
                .backend(new BackendConfig("api-2", Endpoint.parse(api2.address()), 2)).build();
        ClusterConfig site = b.clusterBuilder("site").backend(new BackendConfig("web", Endpoint.parse(web.address())))
                .build();
        b.cluster(api).cluster(site)
                .route(RouteConfig.builder(api).name("api-v1")
                        .match(RouteMatch.builder().host("api.example.com").pathPrefix("/v1").build())
                        .rewrite(PathRewrite.stripPrefix("/v1"))
                        .requestHeaders(new HeaderEdits(Map.of(), Map.of("x-route", "api-v1"), List.of("x-debug")))
                        .build())
                .route(RouteConfig.builder(site).name("site").match(RouteMatch.builder().host("*.example.com")
                        .build()).build());
        proxy = HttpProxy.start(b.build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        proxy.stop(Duration.ZERO);
        List.of(api1, api2, web).forEach(ControllableBackend::close);
    }

    private RawConnection.Response get(String host, String path, String... headers) throws Exception {
        try (RawConnection raw = RawConnection.to(proxy.address().getPort())) {
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            return raw.sendRaw(request.append("\r\n").toString()).readResponse();
        }
    }

    @Test
    void hostAndPathChooseTheClusterThePrefixIsStrippedAndHeadersEdited() throws Exception {
        RawConnection.Response answer = get("API.example.com:8080", "/v1/users?id=7", "X-Debug: 1");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isIn("api-1", "api-2");
        ControllableBackend served = answer.body().equals("api-1") ? api1 : api2;
        ReceivedRequest seen = served.lastRequest().orElseThrow();
        assertThat(seen.uri()).isEqualTo("/users?id=7");
        assertThat(seen.headers()).containsKey("x-route").doesNotContainKey("x-debug");
        assertThat(web.requests()).isZero();
    }

    @Test
    void aPathOutsideThePrefixGoesToTheNextRouteThatTakesIt() throws Exception {
        assertThat(get("api.example.com", "/v10/x").body()).as("not /v1 on a segment boundary").isEqualTo("web");
        assertThat(get("www.example.com", "/v1/users").body()).isEqualTo("web");
        assertThat(web.lastRequest().orElseThrow().uri()).as("no rewrite on that route").isEqualTo("/v1/users");
    }

    @Test
    void aRequestNoRouteTakesGetsAProxyMade404AndReachesNoBackend() throws Exception {
        RawConnection.Response answer = get("other.org", "/");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).startsWith("{\"status\":404,\"error\":\"no_route\"");
        assertThat(api1.requests() + api2.requests() + web.requests()).isZero();
    }

    @Test
    void weightsSplitAClustersTrafficAndEachClusterHasItsOwnBackends() throws Exception {
        int api2Share = 0;
        for (int i = 0; i < 30; i++) {
            if (get("api.example.com", "/v1/").body().equals("api-2")) {
                api2Share++;
            }
        }

        assertThat(api2Share).as("api-2 has weight 2 of 3").isEqualTo(20);
        assertThat(proxy.clusters()).containsOnlyKeys("api", "site");
        assertThat(proxy.clusters().get("site").backends()).extracting(b -> b.id()).containsExactly("web");
    }

    @Test
    void theAdminStatusGroupsBackendsByCluster() throws Exception {
        get("api.example.com", "/v1/");
        String status = new ProxyHarnessAdmin(proxy).status();

        assertThat(status).contains("\"clusters\"").contains("\"name\" : \"api\"").contains("\"name\" : \"site\"")
                .contains("\"weight\" : 2");
    }

    /** Reads the admin API of a proxy not started by {@link ProxyHarness}. */
    private record ProxyHarnessAdmin(HttpProxy proxy) {
        String status() throws Exception {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + proxy.adminAddress().getPort() + "/status")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
