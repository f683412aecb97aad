package io.healthyproxy.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RouteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The examples at the repository root load, so they never fall behind the loader. */
class ExamplesTest {

    /** Tests run in the app module's directory. */
    private static final Path EXAMPLES = Path.of("..", "examples");

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void thereAreExamplesAndEveryOneIsYaml() throws IOException {
        assertThat(examples()).extracting(path -> path.getFileName().toString())
                .contains("minimal.yaml", "full.yaml", "routes-and-clusters.yaml")
                .allMatch(name -> name.endsWith(".yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleLoads(Path example) throws ConfigException {
        ProxyConfig config = ProxyConfigLoader.load(example);

        assertThat(config.clusters()).isNotEmpty();
        assertThat(config.routes()).isNotEmpty();
    }

    @Test
    void theMinimalExampleIsTheDefaultsPlusItsBackends() throws ConfigException {
        ProxyConfig config = ProxyConfigLoader.load(EXAMPLES.resolve("minimal.yaml"));

        assertThat(config).isEqualTo(ProxyConfig.builder().backend("127.0.0.1:9101").backend("127.0.0.1:9102").build());
    }

    /** full.yaml says every value is its default unless it says otherwise; its otherwise is token and backends. */
    @Test
    void theFullExampleStatesTheDefaults() throws ConfigException {
        ProxyConfig config = ProxyConfigLoader.load(EXAMPLES.resolve("full.yaml"));
        ProxyConfig defaults = ProxyConfig.builder().backend("127.0.0.1:9101").build();

        assertThat(config.listen()).isEqualTo(defaults.listen());
        assertThat(config.admin()).isEqualTo(defaults.admin());
        assertThat(config.balancing()).isEqualTo(defaults.balancing());
        assertThat(config.whenNoneAdmits()).isEqualTo(defaults.whenNoneAdmits());
        assertThat(config.breaker().toBuilder().failureRate(null).build()).isEqualTo(defaults.breaker());
        assertThat(config.healthCheck()).isEqualTo(defaults.healthCheck());
        assertThat(config.failureStatuses()).isEqualTo(defaults.failureStatuses());
        assertThat(config.timeouts()).isEqualTo(defaults.timeouts());
        assertThat(config.retries()).isEqualTo(defaults.retries());
        assertThat(config.limits()).isEqualTo(defaults.limits());
        assertThat(config.accessLog()).isEqualTo(defaults.accessLog());
        assertThat(config.slowStart()).isEqualTo(defaults.slowStart());
        assertThat(config.discovery()).isEqualTo(defaults.discovery());
    }

    /** Its cluster sets every key a cluster may, each as the top level has it; its route every route key. */
    @Test
    void theFullExamplesClusterRepeatsTheTopLevelAndItsRouteSetsEveryKey() throws ConfigException {
        ProxyConfig config = ProxyConfigLoader.load(EXAMPLES.resolve("full.yaml"));
        ClusterConfig api = config.clusters().get("api");

        assertThat(api).isEqualTo(ClusterConfig.builder("api").backends(api.backends()).balancing(config.balancing())
                .whenNoneAdmits(config.whenNoneAdmits()).breaker(config.breaker()).healthCheck(config.healthCheck())
                .failureStatuses(config.failureStatuses()).timeouts(config.timeouts()).retries(config.retries())
                .slowStart(config.slowStart()).build());
        assertThat(api.backends()).hasSize(3);
        RouteConfig route = config.routes().get(0);
        assertThat(route.match().hosts()).isNotEmpty();
        assertThat(route.match().methods()).isNotEmpty();
        assertThat(route.match().headers()).isNotEmpty();
        assertThat(route.rewrite()).isPresent();
        assertThat(route.requestHeaders().set()).isNotEmpty();
        assertThat(route.requestHeaders().add()).isNotEmpty();
        assertThat(route.requestHeaders().remove()).isNotEmpty();
        assertThat(route.timeouts()).isEqualTo(api.timeouts());
        assertThat(route.retries()).isEqualTo(api.retries());
    }

    @Test
    void theRoutesAndClustersExampleHasItsClustersAndRoutesInOrder() throws ConfigException {
        ProxyConfig config = ProxyConfigLoader.load(EXAMPLES.resolve("routes-and-clusters.yaml"));

        assertThat(config.clusters().keySet()).containsExactly("api", "admin", "static");
        assertThat(config.routes()).extracting(RouteConfig::name)
                .containsExactly("admin", "api-v1", "api-v2-canary", "api-v2", "site");
        assertThat(config.clusters().get("api").backends()).extracting(b -> b.weight()).containsExactly(1, 2);
    }
}
