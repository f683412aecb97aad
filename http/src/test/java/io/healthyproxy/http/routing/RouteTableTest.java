package io.healthyproxy.http.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.HeaderMatch;
import io.healthyproxy.http.config.RouteConfig;
import io.healthyproxy.http.config.RouteMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The route table finds the first route that matches, as trying them in order would, by index. */
class RouteTableTest {

    private static final ClusterConfig CLUSTER = ClusterConfig.builder("c").backend("127.0.0.1:9101").build();
    private static final Function<String, String> NO_HEADERS = name -> null;

    private final List<RouteConfig> routes = new ArrayList<>();

    /** Adds a route named {@code name}; the table answers with names. */
    private RouteTableTest route(String name, RouteMatch.Builder match) {
        routes.add(RouteConfig.builder(CLUSTER).name(name).match(match.build()).build());
        return this;
    }

    private RouteTable<String> table() {
        return RouteTable.of(routes, RouteConfig::name);
    }

    private static RouteMatch.Builder match() {
        return RouteMatch.builder();
    }

    private String get(String host, String path) {
        return table().match(host, path, "GET", NO_HEADERS);
    }

    @Test
    void theFirstMatchingRouteInConfigOrderWinsAcrossHostsAndPaths() {
        route("exact-path", match().path("/v1/health"))
                .route("api-v1", match().host("api.example.com").pathPrefix("/v1"))
                .route("wild-v1", match().host("*.example.com").pathPrefix("/v1"))
                .route("api", match().host("api.example.com"))
                .route("rest", match());

        assertThat(get("api.example.com", "/v1/health")).isEqualTo("exact-path");
        assertThat(get("api.example.com", "/v1/users")).isEqualTo("api-v1");
        assertThat(get("www.example.com", "/v1/users")).isEqualTo("wild-v1");
        assertThat(get("api.example.com", "/v2")).isEqualTo("api");
        assertThat(get("www.example.com", "/v2")).isEqualTo("rest");
        assertThat(get(null, "/v1/x")).isEqualTo("rest");
    }

    @Test
    void aWildcardBeforeAnExactHostWinsBecauseItComesFirst() {
        route("wild", match().host("*.example.com")).route("exact", match().host("api.example.com"));
        routes.add(0, RouteConfig.builder(CLUSTER).name("deeper").match(match().host("*.b.example.com").build()).build());

        assertThat(get("api.example.com", "/")).isEqualTo("wild");
        assertThat(get("a.b.example.com", "/")).as("both wildcards match; the first listed wins").isEqualTo("deeper");
        assertThat(get("example.com", "/")).isNull();
    }

    @Test
    void hostsAreMatchedIgnoringCaseThePortAndAFinalDot() {
        route("api", match().host("api.example.com")).route("v6", match().host("[::1]"));

        assertThat(get("API.Example.Com", "/")).isEqualTo("api");
        assertThat(get("api.example.com:8443", "/")).isEqualTo("api");
        assertThat(get("api.example.com.", "/")).isEqualTo("api");
        assertThat(get("[::1]:8080", "/")).isEqualTo("v6");
        assertThat(get("api.example.co", "/")).isNull();
    }

    @Test
    void prefixesMatchOnSegmentBoundariesOnly() {
        route("v1", match().pathPrefix("/v1")).route("v2-below", match().pathPrefix("/v2/"));

        assertThat(get("h", "/v1")).isEqualTo("v1");
        assertThat(get("h", "/v1/")).isEqualTo("v1");
        assertThat(get("h", "/v1/users/7")).isEqualTo("v1");
        assertThat(get("h", "/v1?q=1")).isEqualTo("v1");
        assertThat(get("h", "/v10")).isNull();
        assertThat(get("h", "/v2")).as("a prefix ending in / matches only below it").isNull();
        assertThat(get("h", "/v2/")).isEqualTo("v2-below");
        assertThat(get("h", "/v2/x")).isEqualTo("v2-below");
        assertThat(get("h", "/V1")).as("paths are case-sensitive").isNull();
    }

    @Test
    void anExactPathMatchesOnlyItselfWithOrWithoutAQuery() {
        route("health", match().path("/health"));

        assertThat(get("h", "/health")).isEqualTo("health");
        assertThat(get("h", "/health?verbose")).isEqualTo("health");
        assertThat(get("h", "/health/")).isNull();
        assertThat(get("h", "/healthz")).isNull();
    }

    @Test
    void methodAndHeaderConditionsAreCheckedOnTheCandidates() {
        route("canary-get", match().pathPrefix("/api").method("GET").header(HeaderMatch.exact("x-canary", "1")))
                .route("no-debug", match().pathPrefix("/api").header(HeaderMatch.absent("x-debug")))
                .route("writes", match().pathPrefix("/api").method("POST").method("PUT"))
                .route("rest", match());
        RouteTable<String> table = table();

        assertThat(table.match("h", "/api/x", "GET", Map.of("x-canary", "1")::get)).isEqualTo("canary-get");
        assertThat(table.match("h", "/api/x", "HEAD", Map.of("x-canary", "1")::get)).isEqualTo("no-debug");
        assertThat(table.match("h", "/api/x", "PUT", Map.of("x-debug", "")::get)).isEqualTo("writes");
        assertThat(table.match("h", "/api/x", "GET", Map.of("x-debug", "on")::get)).isEqualTo("rest");
    }

    @Test
    void aRouteWithSeveralHostsIsFoundUnderEach() {
        route("both", match().host("a.com").host("*.b.com").pathPrefix("/x")).route("rest", match());

        assertThat(get("a.com", "/x/1")).isEqualTo("both");
        assertThat(get("w.b.com", "/x")).isEqualTo("both");
        assertThat(get("b.com", "/x")).isEqualTo("rest");
    }

    @Test
    void aRequestTargetThatIsNotAPathMatchesOnlyRoutesForAnyPath() {
        route("v1", match().pathPrefix("/v1")).route("any", match().method("OPTIONS"));

        assertThat(table().match("h", "*", "OPTIONS", NO_HEADERS)).isEqualTo("any");
        assertThat(table().match("h", "", "GET", NO_HEADERS)).isNull();
    }

    @Test
    void anEmptyTableMatchesNothing() {
        assertThat(table().match("h", "/", "GET", NO_HEADERS)).isNull();
        assertThat(table().size()).isZero();
        assertThat(RouteTable.of(List.of(RouteConfig.catchAll(CLUSTER))).match(null, "/", "GET", NO_HEADERS))
                .isNotNull();
    }

    @Test
    void aThousandRoutesAreMatchedLikeTryingThemInOrder() {
        SplittableRandom random = new SplittableRandom(42);
        String[] hosts = {"a.com", "b.com", "x.a.com", "y.x.a.com", "c.org", "A.COM:80", "z.b.com."};
        String[] segments = {"v1", "v2", "users", "u", "7", "health", "v1x", ""};
        for (int i = 0; i < 1_000; i++) {
            RouteMatch.Builder m = match();
            switch (random.nextInt(4)) {
                case 0 -> m.host(hosts[random.nextInt(5)]);
                case 1 -> m.host("*." + hosts[random.nextInt(3)]);
                case 2 -> m.host(hosts[random.nextInt(5)]).host("*.c.org");
                default -> { }
            }
            String path = randomPath(random, segments);
            switch (random.nextInt(3)) {
                case 0 -> m.path(path);
                case 1 -> m.pathPrefix(path);
                default -> { }
            }
            if (random.nextInt(4) == 0) {
                m.method(random.nextBoolean() ? "GET" : "POST");
            }
            if (random.nextInt(5) == 0) {
                m.header(random.nextBoolean() ? HeaderMatch.exact("x-v", "1") : HeaderMatch.present("x-v"));
            }
            route("r" + i, m);
        }
        RouteTable<String> table = table();

        for (int i = 0; i < 20_000; i++) {
            String host = random.nextInt(10) == 0 ? null : hosts[random.nextInt(hosts.length)];
            String path = randomPath(random, segments) + (random.nextInt(5) == 0 ? "?q=/v1" : "");
            String method = random.nextBoolean() ? "GET" : "POST";
            Function<String, String> headers = random.nextBoolean() ? NO_HEADERS : Map.of("x-v", "1")::get;
            String expected = routes.stream().filter(r -> r.match().matches(host, path, method, headers))
                    .map(RouteConfig::name).findFirst().orElse(null);

            assertThat(table.match(host, path, method, headers)).as("%s %s %s", method, host, path).isEqualTo(expected);
        }
    }

    private static String randomPath(SplittableRandom random, String[] segments) {
        StringBuilder path = new StringBuilder();
        int depth = random.nextInt(4);
        for (int d = 0; d < depth; d++) {
            path.append('/').append(segments[random.nextInt(segments.length)]);
        }
        if (path.length() == 0 || random.nextInt(4) == 0) {
            path.append('/');
        }
        return path.toString();
    }
}
