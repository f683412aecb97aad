package io.healthyproxy.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.breaker.FailureRateTrigger;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.HeaderEdits;
import io.healthyproxy.http.config.HeaderMatch;
import io.healthyproxy.http.config.HostPattern;
import io.healthyproxy.http.config.Hedging;
import io.healthyproxy.http.config.PathMatch;
import io.healthyproxy.http.config.PathRewrite;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RouteConfig;
import io.healthyproxy.http.config.StatusCodes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Clusters and routes in YAML: every key reaches the config, and each level inherits the one above key by key. */
class ClustersLoaderTest {

    private static ProxyConfig load(String yaml) throws ConfigException {
        return ProxyConfigLoader.parse(yaml, "proxy.yaml");
    }

    @Test
    void theFlatFormIsOneDefaultClusterWithACatchAllRoute() throws ConfigException {
        ProxyConfig config = load("""
                backends: [127.0.0.1:9101, { name: b, address: 127.0.0.1:9102, weight: 3 }]
                slowStart: 20s
                """);

        assertThat(config.clusters()).containsOnlyKeys("default");
        ClusterConfig cluster = config.clusters().get("default");
        assertThat(cluster.backends()).containsExactly(BackendConfig.of("127.0.0.1:9101"),
                new BackendConfig("b", Endpoint.parse("127.0.0.1:9102"), 3));
        assertThat(cluster.slowStart()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.routes()).singleElement().satisfies(r -> assertThat(r.match().isCatchAll()).isTrue());
    }

    @Test
    void aClusterOverridesTopLevelSectionsKeyByKey() throws ConfigException {
        ProxyConfig config = load("""
                balancing: power_of_two_choices
                breaker: { failureThreshold: 7, openDuration: 3s, failureRate: { threshold: 0.5, minimumCalls: 20, window: 10s } }
                healthCheck: { path: /health, interval: 5s }
                timeouts: { connect: 2s, perTry: 10s, request: 20s }
                retries: { maxAttempts: 4, hedging: { minDelay: 30ms } }
                failureStatuses: [502, 503]
                slowStart: 10s
                clusters:
                  api:
                    backends: [127.0.0.1:9101]
                    breaker: { failureThreshold: 3, failureRate: { threshold: 0.25 } }
                    healthCheck: { path: /ready }
                    timeouts: { perTry: 2s }
                    retries: { hedging: { enabled: false } }
                    balancing: round_robin
                    whenNoneAdmits: fail_fast
                    failureStatuses: 5xx
                    slowStart: 30s
                  plain:
                    backends: [127.0.0.1:9201]
                routes:
                  - { match: { pathPrefix: /api }, cluster: api }
                  - { cluster: plain }
                """);

        ClusterConfig api = config.clusters().get("api");
        assertThat(api.breaker().failureThreshold()).isEqualTo(3);
        assertThat(api.breaker().openDuration()).as("kept from the top level").isEqualTo(Duration.ofSeconds(3));
        assertThat(api.breaker().failureRate()).contains(FailureRateTrigger.of(0.25, 20, Duration.ofSeconds(10)));
        assertThat(api.healthCheck().path()).isEqualTo("/ready");
        assertThat(api.healthCheck().schedule().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(api.timeouts().perTry()).isEqualTo(Duration.ofSeconds(2));
        assertThat(api.timeouts().connect()).isEqualTo(Duration.ofSeconds(2));
        assertThat(api.timeouts().request()).isEqualTo(Duration.ofSeconds(20));
        assertThat(api.retries().maxAttempts()).isEqualTo(4);
        assertThat(api.retries().hedging()).isEqualTo(new Hedging(false, Optional.empty(), Duration.ofMillis(30)));
        assertThat(api.balancing()).isEqualTo(Balancing.ROUND_ROBIN);
        assertThat(api.whenNoneAdmits()).isEqualTo(NoBackendPolicy.FAIL_FAST);
        assertThat(api.failureStatuses()).isEqualTo(StatusCodes.parse("5xx"));
        assertThat(api.slowStart()).isEqualTo(Duration.ofSeconds(30));

        ClusterConfig plain = config.clusters().get("plain");
        assertThat(plain.breaker()).isEqualTo(config.breaker());
        assertThat(plain.healthCheck()).isEqualTo(config.healthCheck());
        assertThat(plain.timeouts()).isEqualTo(config.timeouts());
        assertThat(plain.retries()).isEqualTo(config.retries());
        assertThat(plain.balancing()).isEqualTo(Balancing.POWER_OF_TWO_CHOICES);
        assertThat(plain.failureStatuses()).isEqualTo(StatusCodes.parse("502,503"));
        assertThat(plain.slowStart()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.backends()).as("no top-level backends in the clusters form").isEmpty();
    }

    @Test
    void aClusterCanTurnAnInheritedFailureRateTriggerOff() throws ConfigException {
        ProxyConfig config = load("""
                breaker: { failureRate: { threshold: 0.5, minimumCalls: 20, window: 10s } }
                clusters:
                  api: { backends: [127.0.0.1:9101], breaker: { failureRate: false } }
                """);

        assertThat(config.clusters().get("api").breaker().failureRate()).isEmpty();
        assertThat(config.breaker().failureRate()).isPresent();
    }

    @Test
    void everyRouteKeyReachesTheRoute() throws ConfigException {
        ProxyConfig config = load("""
                clusters:
                  api:
                    backends: [127.0.0.1:9101]
                    timeouts: { perTry: 2s, request: 20s }
                    retries: { maxAttempts: 4, retryOn: [503] }
                routes:
                  - name: api-v1
                    match:
                      host: [api.example.com, "*.api.example.com"]
                      pathPrefix: /v1/
                      method: [GET, HEAD]
                      headers: { x-canary: "1", x-debug: false, x-trace: true, x-version: 2 }
                    cluster: api
                    stripPrefix: /v1
                    requestHeaders:
                      set: { x-env: prod, Host: api.internal }
                      add: { via: edge }
                      remove: [x-debug-token]
                    timeouts: { perTry: 5s }
                    retries: { maxAttempts: 2, hedging: { enabled: false } }
                  - match: { path: /health, method: GET }
                    cluster: api
                    prefixRewrite: /healthz
                """);

        RouteConfig v1 = config.routes().get(0);
        assertThat(v1.name()).isEqualTo("api-v1");
        assertThat(v1.cluster()).isEqualTo("api");
        assertThat(v1.match().hosts()).containsExactly(HostPattern.parse("api.example.com"),
                HostPattern.parse("*.api.example.com"));
        assertThat(v1.match().path()).isEqualTo(PathMatch.prefix("/v1/"));
        assertThat(v1.match().methods()).containsExactly("GET", "HEAD");
        assertThat(v1.match().headers()).containsExactly(HeaderMatch.exact("x-canary", "1"),
                HeaderMatch.absent("x-debug"), HeaderMatch.present("x-trace"), HeaderMatch.exact("x-version", "2"));
        assertThat(v1.rewrite()).contains(PathRewrite.stripPrefix("/v1"));
        assertThat(v1.requestHeaders()).isEqualTo(new HeaderEdits(Map.of("x-env", "prod", "host", "api.internal"),
                Map.of("via", "edge"), List.of("x-debug-token")));
        assertThat(v1.timeouts().perTry()).isEqualTo(Duration.ofSeconds(5));
        assertThat(v1.timeouts().request()).as("the cluster's").isEqualTo(Duration.ofSeconds(20));
        assertThat(v1.retries().maxAttempts()).isEqualTo(2);
        assertThat(v1.retries().retryOn()).as("the cluster's").isEqualTo(StatusCodes.parse("503"));
        assertThat(v1.retries().hedging().enabled()).isFalse();

        RouteConfig health = config.routes().get(1);
        assertThat(health.name()).isEqualTo("routes[1]");
        assertThat(health.rewrite()).contains(new PathRewrite("/health", "/healthz"));
        assertThat(health.timeouts()).isEqualTo(config.clusters().get("api").timeouts());
        assertThat(health.requestHeaders()).isEqualTo(HeaderEdits.NONE);
    }

    @Test
    void oneClusterWithoutRoutesTakesEveryRequest() throws ConfigException {
        ProxyConfig config = load("clusters: { only: { backends: [127.0.0.1:9101] } }");

        assertThat(config.routes()).singleElement().satisfies(r -> {
            assertThat(r.cluster()).isEqualTo("only");
            assertThat(r.match().isCatchAll()).isTrue();
        });
    }

    @Test
    void theSameBackendMayBeInTwoClusters() throws ConfigException {
        ProxyConfig config = load("""
                clusters:
                  a: { backends: [127.0.0.1:9101] }
                  b: { backends: [127.0.0.1:9101], healthCheck: { path: /other } }
                routes:
                  - { match: { host: a.example.com }, cluster: a }
                  - { cluster: b }
                """);

        assertThat(config.clusters().get("a").backends()).isEqualTo(config.clusters().get("b").backends());
    }

    @Test
    void listenAndAdminFromFlagsKeepTheClusters() throws ConfigException {
        ProxyConfig config = load("clusters: { only: { backends: [127.0.0.1:9101] } }");

        ProxyConfig overridden = config.toBuilder().listen(Endpoint.parse("127.0.0.1:8000")).build();

        assertThat(overridden.clusters()).isEqualTo(config.clusters());
        assertThat(overridden.routes()).isEqualTo(config.routes());
    }
}
