package io.healthyproxy.app.config;

import static io.healthyproxy.app.config.ConfigProblemsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What check-config catches in clusters and routes, each at its line. */
class ClustersProblemsTest {

    private static final String TWO_CLUSTERS = """
            clusters:
              api: { backends: [127.0.0.1:9101] }
              static: { backends: [127.0.0.1:9201] }
            """;

    @Test
    void topLevelBackendsAndClustersTogetherAreAnError() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                clusters:
                  api: { backends: [127.0.0.1:9102] }
                """)).containsExactly("proxy.yaml:2: clusters: given with top-level backends at line 1 (expected: "
                + "either top-level backends or clusters; put those backends in a cluster)");
    }

    @Test
    void routesWithoutClustersAreAnError() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                routes:
                  - cluster: api
                """)).containsExactly("proxy.yaml:2: routes: without clusters (expected: routes to clusters; "
                + "top-level backends take every request)");
    }

    @Test
    void severalClustersNeedRoutes() {
        assertThat(problems(TWO_CLUSTERS)).containsExactly("proxy.yaml:1: clusters: no routes to its 2 clusters "
                + "(expected: routes; with one cluster, no routes means every request goes to it)");
        assertThat(problems(TWO_CLUSTERS + "routes: []\n")).containsExactly("proxy.yaml:4: routes: [] (expected: at "
                + "least one route; with one cluster, no routes at all means every request goes to it)");
        assertThat(problems("clusters: {}\n")).containsExactly("proxy.yaml:1: clusters: no clusters (expected: a "
                + "mapping of cluster names to clusters, e.g. api: { backends: [127.0.0.1:9101] })");
    }

    @Test
    void aRouteToAnUnknownClusterNamesTheKnownOnes() {
        assertThat(problems(TWO_CLUSTERS + """
                routes:
                  - { match: { pathPrefix: /api }, cluster: apii }
                  - cluster: static
                """)).containsExactly("proxy.yaml:5: routes[0].cluster: 'apii' (expected: one of the clusters api, "
                + "static; did you mean api?)");
    }

    @Test
    void aRouteToAClusterWithProblemsOfItsOwnIsNotAlsoToldItIsUnknown() {
        assertThat(problems("""
                clusters:
                  api: { backends: [] }
                routes:
                  - cluster: api
                """)).containsExactly("proxy.yaml:2: clusters.api.backends: [] (expected: at least one backend)");
    }

    @Test
    void aRouteThatCanNeverMatchIsReportedWithTheRouteThatTakesItsRequests() {
        assertThat(problems(TWO_CLUSTERS + """
                routes:
                  - { match: { pathPrefix: /v1 }, cluster: api }
                  - match: { host: api.example.com, pathPrefix: /v1/users }
                    cluster: api
                  - { match: { pathPrefix: /v1, method: GET }, cluster: static }
                  - { match: { pathPrefix: /v10 }, cluster: static }
                  - { match: { pathPrefix: / }, cluster: static }
                  - { match: { path: /health }, cluster: static }
                """)).containsExactly(
                "proxy.yaml:6: routes[1]: never matches: routes[0] (line 5) takes every request it would (host "
                        + "api.example.com, pathPrefix /v1/users); put the narrower route first, or drop it",
                "proxy.yaml:8: routes[2]: never matches: routes[0] (line 5) takes every request it would (any host, "
                        + "pathPrefix /v1, method GET); put the narrower route first, or drop it",
                "proxy.yaml:11: routes[5]: never matches: routes[4] (line 10) takes every request it would (any "
                        + "host, path /health); put the narrower route first, or drop it");
    }

    @Test
    void aDuplicateClusterNameIsADuplicateKey() {
        assertThat(problems("""
                clusters:
                  api: { backends: [127.0.0.1:9101] }
                  api: { backends: [127.0.0.1:9102] }
                """)).containsExactly("proxy.yaml:3: clusters.api: duplicate key (first at line 2)");
    }

    @Test
    void aClusterNeedsBackendsWithUniqueNamesAndSaneWeights() {
        assertThat(problems("""
                clusters:
                  api:
                    backends:
                      - { name: a, address: 127.0.0.1:9101 }
                      - { name: a, address: 127.0.0.1:9102 }
                      - { name: b, address: 127.0.0.1:9103, weight: 0 }
                      - { name: c, address: 127.0.0.1:9104, weight: 5000 }
                  empty: { backends: [] }
                  nothing: {}
                  "bad name": { backends: [127.0.0.1:1] }
                routes:
                  - cluster: api
                """)).containsExactly(
                "proxy.yaml:5: clusters.api.backends[1]: 'a' (expected: unique names; the same name is at line 4)",
                "proxy.yaml:6: clusters.api.backends[2].weight: 0 (expected: 1..1000)",
                "proxy.yaml:7: clusters.api.backends[3].weight: 5000 (expected: 1..1000)",
                "proxy.yaml:8: clusters.empty.backends: [] (expected: at least one backend)",
                "proxy.yaml:9: clusters.nothing.backends: missing (expected: a list of backends, e.g. [127.0.0.1:9101, "
                        + "127.0.0.1:9102])",
                "proxy.yaml:10: clusters.bad name: 'bad name' (expected: a cluster name of letters, digits, '.', '-' "
                        + "and '_', at most 64, starting with a letter or digit)");
    }

    @Test
    void keysThatBelongToAnotherLevelSayWhere() {
        assertThat(problems("""
                clusters:
                  api:
                    backends: [127.0.0.1:9101]
                    timeouts: { clientIdle: 5s }
                routes:
                  - cluster: api
                    timeouts: { connect: 1s }
                    retries: { budgetRatio: 0.5 }
                """)).containsExactly(
                "proxy.yaml:4: clusters.api.timeouts.clientIdle: not in a cluster (expected: in the top level only: "
                        + "a client connection's timeouts apply before any route is chosen)",
                "proxy.yaml:7: routes[0].timeouts.connect: not in a route (expected: in the top level or a cluster "
                        + "only: a cluster's connections are shared by all its routes)",
                "proxy.yaml:8: routes[0].retries.budgetRatio: not in a route (expected: in the top level or a "
                        + "cluster only: the retry budget is shared by all routes to the cluster)");
    }

    @Test
    void aRouteOverrideIsCheckedAgainstWhatItInherits() {
        assertThat(problems("""
                clusters:
                  api: { backends: [127.0.0.1:9101], timeouts: { request: 3s, perTry: 1s } }
                routes:
                  - cluster: api
                    timeouts: { perTry: 5s }
                """)).containsExactly("proxy.yaml:5: routes[0].timeouts.perTry: 5s (expected: <= timeouts.request 3s)");
    }

    @Test
    void badMatchesRewritesAndHeaderEditsAreEachReported() {
        assertThat(problems("""
                clusters:
                  api: { backends: [127.0.0.1:9101] }
                routes:
                  - match: { path: /a, pathPrefix: /b }
                    cluster: api
                  - match: { host: "api.example.com:8080", method: get, headers: { "x y": "1" } }
                    cluster: api
                  - { match: { pathPrefix: v1 }, cluster: api }
                  - { match: { pathPrefix: /c }, cluster: api, stripPrefix: /c/d }
                  - { match: { pathPrefix: /e }, cluster: api, stripPrefix: /e, prefixRewrite: /x }
                  - { match: { pathPrefix: /f }, cluster: api, prefixRewrite: x }
                  - { match: { pathPrefix: /g }, cluster: api, requestHeaders: { set: { content-length: "5" } } }
                  - { match: { pathPrefix: /h }, cluster: api, requestHeaders: { set: { x-a: "1" }, add: { x-a: "2" } } }
                """)).containsExactly(
                "proxy.yaml:4: routes[0].match.pathPrefix: given with path at line 4 (expected: path or pathPrefix, "
                        + "not both)",
                "proxy.yaml:6: routes[1].match.host: 'api.example.com:8080' (expected: a host name, e.g. "
                        + "api.example.com, or *.example.com for every name below example.com, without a port; the "
                        + "port is ignored when matching)",
                "proxy.yaml:6: routes[1].match.method: 'get' (expected: an HTTP method, e.g. GET)",
                "proxy.yaml:6: routes[1].match.headers.x y: 'x y' (expected: a header name: letters, digits and "
                        + "!#$%&'*+-.^_`|~)",
                "proxy.yaml:8: routes[2].match.pathPrefix: 'v1' (expected: a path starting with /)",
                "proxy.yaml:9: routes[3].stripPrefix: '/c/d' (expected: a prefix of every path the route matches, on "
                        + "a segment boundary; it matches pathPrefix /c)",
                "proxy.yaml:10: routes[4].prefixRewrite: given with stripPrefix at line 10 (expected: stripPrefix or "
                        + "prefixRewrite, not both)",
                "proxy.yaml:11: routes[5].prefixRewrite: 'x' (expected: a path starting with /, without a query, "
                        + "spaces or control characters)",
                "proxy.yaml:12: routes[6].requestHeaders.set: 'content-length' (expected: a header the proxy does "
                        + "not decide itself; it frames the message or belongs to the connection)",
                "proxy.yaml:13: routes[7].requestHeaders: 'x-a' (expected: in one of set, add, remove; it is in two)");
    }

    @Test
    void aRouteWithAProblemOfItsOwnStillCountsForShadowing() {
        assertThat(problems("""
                clusters:
                  api: { backends: [127.0.0.1:9101] }
                routes:
                  - { match: { pathPrefix: /a }, cluster: nope }
                  - { match: { pathPrefix: /a/b }, cluster: api }
                """)).containsExactly(
                "proxy.yaml:4: routes[0].cluster: 'nope' (expected: one of the clusters api)",
                "proxy.yaml:5: routes[1]: never matches: routes[0] (line 4) takes every request it would (any host, "
                        + "pathPrefix /a/b); put the narrower route first, or drop it");
    }

    @Test
    void routeNamesAreUnique() {
        assertThat(problems("""
                clusters:
                  api: { backends: [127.0.0.1:9101] }
                routes:
                  - { name: r, match: { path: /i }, cluster: api }
                  - { name: r, match: { path: /j }, cluster: api }
                """)).containsExactly("proxy.yaml:5: routes[1]: name 'r' (expected: unique route names; the same is "
                + "at line 4)");
    }

    @Test
    void anUnquotedWildcardHostIsAYamlAliasAndTheMessageSaysToQuoteIt() {
        assertThat(problems("""
                clusters:
                  api: { backends: [127.0.0.1:9101] }
                routes:
                  - match: { host: *.example.com }
                    cluster: api
                """)).singleElement().asString().startsWith("proxy.yaml:4:").endsWith(
                "(a value starting with * must be quoted, e.g. \"*.example.com\")");
    }

    @Test
    void aWeightMustBeAnInteger() {
        assertThat(problems("backends: [{ address: 127.0.0.1:9101, weight: heavy }]")).containsExactly(
                "proxy.yaml:1: backends[0].weight: 'heavy' (expected: an integer)");
    }
}
