package io.healthyproxy.http.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a route changes on the way: the path (strip or replace a prefix) and the request headers. */
class RouteRewriteTest {

    @ParameterizedTest(name = "{0} → {1}: {2} becomes {3}")
    @CsvSource({
            "/v1, /, /v1/users, /users", "/v1, /, /v1, /", "/v1, /, /v1/, /", "/v1, /, /v1/users?id=7, /users?id=7",
            "/v1/, /, /v1/users, /users", "/v1, /api, /v1/users, /api/users", "/v1/, /api/v1/, /v1/x, /api/v1/x",
            "/v1, /api/, /v1, /api/", "/v1, /, /v10/x, /v10/x", "/, /api, /x, /api/x", "/old, /new, /old?q, /new?q"})
    void aRewriteReplacesTheLeadingPrefixOnASegmentBoundaryAndKeepsTheQuery(String from, String to, String target,
            String rewritten) {
        assertThat(new PathRewrite(from, to).apply(target)).isEqualTo(rewritten);
    }

    @Test
    void aStripPrefixMustCoverEveryPathTheRouteMatches() {
        ClusterConfig api = ClusterConfig.builder("api").backend("127.0.0.1:9101").build();
        RouteConfig.Builder route = RouteConfig.builder(api).match(RouteMatch.builder().pathPrefix("/v10").build());

        assertThatThrownBy(() -> route.rewrite(PathRewrite.stripPrefix("/v1")).build())
                .hasMessage("stripPrefix: '/v1' (expected: a prefix of every path the route matches, on a segment "
                        + "boundary; it matches pathPrefix /v10)");
        assertThat(route.match(RouteMatch.builder().pathPrefix("/v1/").build()).build().rewrite()).isPresent();
        assertThatThrownBy(() -> PathRewrite.stripPrefix("v1")).hasMessageStartingWith("stripPrefix: 'v1' (expected:");
    }

    @Test
    void headerEditsKeepNamesInLowerCase() {
        HeaderEdits edits = new HeaderEdits(Map.of("X-Env", "prod"), Map.of("Via", "proxy"), List.of("X-Debug"));

        assertThat(edits.set()).containsExactly(Map.entry("x-env", "prod"));
        assertThat(edits.add()).containsExactly(Map.entry("via", "proxy"));
        assertThat(edits.remove()).containsExactly("x-debug");
    }

    @Test
    void headersThatFrameTheMessageCannotBeEditedAndHostMayOnlyBeSet() {
        assertThatThrownBy(() -> new HeaderEdits(Map.of(), Map.of(), List.of("Transfer-Encoding")))
                .hasMessageStartingWith("requestHeaders.remove: 'Transfer-Encoding' (expected: a header the proxy does not decide itself");
        assertThatThrownBy(() -> new HeaderEdits(Map.of("content-length", "1"), Map.of(), List.of()))
                .hasMessageStartingWith("requestHeaders.set: 'content-length'");
        assertThatThrownBy(() -> new HeaderEdits(Map.of(), Map.of("host", "a"), List.of()))
                .hasMessageContaining("Host may only be set");
        assertThat(new HeaderEdits(Map.of("host", "backend.internal"), Map.of(), List.of()).set()).containsKey("host");
    }

    @Test
    void aHeaderIsInOneOfSetAddAndRemoveAndHasNoControlCharacters() {
        assertThatThrownBy(() -> new HeaderEdits(Map.of("x-a", "1"), Map.of(), List.of("X-A")))
                .hasMessage("requestHeaders: 'x-a' (expected: in one of set, add, remove; it is in two)");
        assertThatThrownBy(() -> new HeaderEdits(Map.of("x-a", "1\r\nx-b: 2"), Map.of(), List.of()))
                .hasMessageContaining("control character");
    }
}
