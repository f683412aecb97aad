package io.healthyproxy.http.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.core.Balancing;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The two forms of a config, both resolved to clusters and routes; and how clusters and routes must fit. */
class ClustersConfigTest {

    private static final ClusterConfig API = ClusterConfig.builder("api").backend("127.0.0.1:9101").build();
    private static final ClusterConfig STATIC = ClusterConfig.builder("static").backend("127.0.0.1:9201").build();

    private static RouteConfig route(ClusterConfig cluster, String name, RouteMatch match) {
        return RouteConfig.builder(cluster).name(name).match(match).build();
    }

    @Test
    void theFlatFormIsOneDefaultClusterWithTheTopLevelSectionsAndOneCatchAllRoute() {
        ProxyConfig config = ProxyConfig.builder().backend("127.0.0.1:9101").balancing(Balancing.POWER_OF_TWO_CHOICES)
                .slowStart(Duration.ofSeconds(30)).build();

        ClusterConfig cluster = config.clusters().get(ProxyConfig.DEFAULT_CLUSTER);
        assertThat(config.clusters()).containsOnlyKeys("default");
        assertThat(cluster.backends()).isEqualTo(config.backends());
        assertThat(cluster.balancing()).isEqualTo(Balancing.POWER_OF_TWO_CHOICES);
        assertThat(cluster.slowStart()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cluster.breaker()).isEqualTo(config.breaker());
        assertThat(config.routes()).singleElement().satisfies(r -> {
            assertThat(r.match().isCatchAll()).isTrue();
            assertThat(r.cluster()).isEqualTo("default");
            assertThat(r.timeouts()).isEqualTo(config.timeouts());
        });
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().listen(Endpoint.parse("127.0.0.1:8000")).build().clusters()).isEqualTo(config.clusters());
    }

    @Test
    void aClusterBuilderFromTheProxyBuilderStartsFromItsTopLevelSections() {
        ProxyConfig.Builder b = ProxyConfig.builder().timeouts(Timeouts.builder().connect(Duration.ofSeconds(2))
                .perTry(Duration.ofSeconds(3)).request(Duration.ofSeconds(9)).build());

        ClusterConfig api = b.clusterBuilder("api").backend("127.0.0.1:9101").build();

        assertThat(api.timeouts().connect()).isEqualTo(Duration.ofSeconds(2));
        assertThat(RouteConfig.builder(api).build().timeouts()).as("a route starts from its cluster's").isEqualTo(api.timeouts());
    }

    @Test
    void theClustersFormKeepsOrderAndHasNoTopLevelBackends() {
        ProxyConfig config = ProxyConfig.builder().cluster(STATIC).cluster(API)
                .route(route(API, "api", RouteMatch.builder().pathPrefix("/api").build()))
                .route(route(STATIC, "rest", RouteMatch.ALL)).build();

        assertThat(config.backends()).isEmpty();
        assertThat(config.clusters().keySet()).containsExactly("static", "api");
        assertThat(config.routes()).extracting(RouteConfig::name).containsExactly("api", "rest");
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void oneClusterWithoutRoutesTakesEveryRequest() {
        ProxyConfig config = ProxyConfig.builder().cluster(API).build();

        assertThat(config.routes()).singleElement().satisfies(r -> {
            assertThat(r.cluster()).isEqualTo("api");
            assertThat(r.match().isCatchAll()).isTrue();
        });
    }

    @Test
    void severalClustersNeedRoutes() {
        assertThatThrownBy(() -> ProxyConfig.builder().cluster(API).cluster(STATIC).build()).hasMessage(
                "routes: [] (expected: routes to the 2 clusters; with one cluster, no routes means every request goes to it)");
    }

    @Test
    void topLevelBackendsAndClustersDoNotMix() {
        assertThatThrownBy(() -> ProxyConfig.builder().backend("127.0.0.1:1").cluster(API).build())
                .hasMessage("clusters: [api] (expected: either top-level backends or clusters, not both)");
        assertThatThrownBy(() -> ProxyConfig.builder().build())
                .hasMessage("backends: [] (expected: at least one backend, or clusters)");
    }

    @Test
    void aRouteNamesAClusterThatExists() {
        ClusterConfig other = ClusterConfig.builder("apii").backend("127.0.0.1:1").build();

        assertThatThrownBy(() -> ProxyConfig.builder().cluster(API).cluster(STATIC)
                .route(route(other, "x", RouteMatch.ALL)).build())
                .hasMessage("routes[0].cluster: 'apii' (expected: one of the clusters api, static)");
    }

    @Test
    void aRouteThatAnEarlierOneShadowsIsRefused() {
        assertThatThrownBy(() -> ProxyConfig.builder().cluster(API).cluster(STATIC)
                .route(route(STATIC, "all", RouteMatch.ALL))
                .route(route(API, "api", RouteMatch.builder().pathPrefix("/api").build())).build())
                .hasMessage("routes[1]: any host, pathPrefix /api (expected: a route that can match; routes[0] before "
                        + "it takes every request it would)");
    }

    @Test
    void clusterAndRouteNamesAreUniqueAndPlain() {
        assertThatThrownBy(() -> ProxyConfig.builder().cluster(API).cluster(API)).hasMessage(
                "clusters: api (expected: unique names; 'api' appears twice)");
        assertThatThrownBy(() -> ClusterConfig.builder("my api")).hasMessageStartingWith("'my api' (expected: a cluster name");
        assertThatThrownBy(() -> ProxyConfig.builder().cluster(API)
                .route(route(API, "r", RouteMatch.builder().path("/a").build()))
                .route(route(API, "r", RouteMatch.builder().path("/b").build())).build())
                .hasMessage("routes[1].name: 'r' (expected: unique route names; it appears twice)");
    }

    @Test
    void aClusterNeedsBackendsWithUniqueNamesButTwoClustersMayShareOne() {
        assertThatThrownBy(() -> ClusterConfig.builder("api").build()).hasMessage("backends: [] (expected: at least one backend)");
        assertThatThrownBy(() -> ClusterConfig.builder("api").backend("127.0.0.1:1").backend("127.0.0.1:1").build())
                .hasMessage("backends: 127.0.0.1:1 (expected: unique names; '127.0.0.1:1' appears twice)");
        ClusterConfig same = ClusterConfig.builder("same").backend("127.0.0.1:9101").build();

        ProxyConfig config = ProxyConfig.builder().cluster(API).cluster(same)
                .route(route(API, "a", RouteMatch.builder().pathPrefix("/a").build()))
                .route(route(same, "b", RouteMatch.ALL)).build();
        assertThat(config.clusters()).hasSize(2);
    }

    @Test
    void weightsAreOneToAThousand() {
        assertThat(BackendConfig.of("127.0.0.1:1").weight()).isEqualTo(1);
        assertThatThrownBy(() -> BackendConfig.of("127.0.0.1:1").withWeight(0)).hasMessage("weight: 0 (expected: 1..1000)");
        assertThatThrownBy(() -> BackendConfig.of("127.0.0.1:1").withWeight(1001)).hasMessage("weight: 1001 (expected: 1..1000)");
    }
}
