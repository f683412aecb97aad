package io.healthyproxy.http.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each matcher on its own, and when one route's match covers another's (which makes the later one dead). */
class RouteMatchTest {

    private static RouteMatch.Builder match() {
        return RouteMatch.builder();
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "api.example.com, api.example.com, true", "api.example.com, API.Example.COM, true",
            "api.example.com, api.example.com:8443, true", "api.example.com, api.example.com., true",
            "api.example.com, www.example.com, false", "api.example.com, a.api.example.com, false",
            "*.example.com, a.example.com, true", "*.example.com, a.b.example.com, true",
            "*.example.com, example.com, false", "*.example.com, aexample.com, false",
            "*.example.com, A.EXAMPLE.com:80, true", "[::1], [::1]:8080, true"})
    void hostsMatchIgnoringCasePortAndAFinalDot(String pattern, String host, boolean matches) {
        assertThat(HostPattern.parse(pattern).matches(HostPattern.normalize(host))).isEqualTo(matches);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"api.example.com:8080", "a b", "*", "a.*.com", "*example.com", "-a.com", "''"})
    void aHostPatternThatIsNotOneIsRefused(String pattern) {
        assertThatThrownBy(() -> HostPattern.parse(pattern)).hasMessageContaining("expected: a host name");
    }

    @ParameterizedTest(name = "{0} {1} matches {2}: {3}")
    @CsvSource({
            "prefix, /v1, /v1, true", "prefix, /v1, /v1/, true", "prefix, /v1, /v1/users, true",
            "prefix, /v1, /v10, false", "prefix, /v1, /v, false", "prefix, /v1/, /v1, false",
            "prefix, /v1/, /v1/, true", "prefix, /v1/, /v1/x, true", "prefix, /, /anything, true",
            "exact, /health, /health, true", "exact, /health, /health/, false", "exact, /health, /HEALTH, false",
            "prefix, /V1, /v1, false"})
    void pathsMatchOnSegmentBoundariesAndCaseSensitively(String kind, String value, String path, boolean matches) {
        PathMatch m = kind.equals("exact") ? PathMatch.exact(value) : PathMatch.prefix(value);

        assertThat(m.matches(path)).isEqualTo(matches);
    }

    @Test
    void aPathMustStartWithASlashAndHoldNoQuery() {
        assertThatThrownBy(() -> PathMatch.prefix("v1")).hasMessage("pathPrefix: 'v1' (expected: a path starting with /)");
        assertThatThrownBy(() -> PathMatch.exact("/a?b=1")).hasMessageStartingWith("path: '/a?b=1' (expected: a path without a query");
        assertThat(PathMatch.prefix("/")).isEqualTo(PathMatch.ANY);
    }

    @Test
    void headerConditionsAreExactPresentOrAbsentWithCaseInsensitiveNames() {
        HeaderMatch canary = HeaderMatch.exact("X-Canary", "1");

        assertThat(canary.name()).isEqualTo("x-canary");
        assertThat(canary.matches("1")).isTrue();
        assertThat(canary.matches("2")).isFalse();
        assertThat(canary.matches(null)).isFalse();
        assertThat(HeaderMatch.present("x-debug").matches("")).isTrue();
        assertThat(HeaderMatch.present("x-debug").matches(null)).isFalse();
        assertThat(HeaderMatch.absent("x-debug").matches(null)).isTrue();
        assertThatThrownBy(() -> HeaderMatch.present("x debug")).hasMessageContaining("expected: a header name");
    }

    @Test
    void aRouteMatchNeedsEveryConditionAndTheQueryIsIgnored() {
        RouteMatch m = match().host("api.example.com").pathPrefix("/v1").method("GET").method("HEAD")
                .header(HeaderMatch.exact("x-canary", "1")).build();
        Map<String, String> canary = Map.of("x-canary", "1");

        assertThat(m.matches("api.example.com:80", "/v1/users?x=1", "GET", canary::get)).isTrue();
        assertThat(m.matches("api.example.com", "/v1/users", "POST", canary::get)).as("method").isFalse();
        assertThat(m.matches("api.example.com", "/v1/users", "HEAD", Map.<String, String>of()::get)).as("header").isFalse();
        assertThat(m.matches("www.example.com", "/v1/users", "GET", canary::get)).as("host").isFalse();
        assertThat(m.matches(null, "/v1/users", "GET", canary::get)).as("no host").isFalse();
        assertThat(RouteMatch.ALL.matches(null, "*", "OPTIONS", h -> null)).isTrue();
    }

    @Test
    void methodsAreUpperCaseTokensAndOneHeaderHasOneCondition() {
        assertThatThrownBy(() -> match().method("get").build()).hasMessage("method: 'get' (expected: an HTTP method, e.g. GET)");
        assertThatThrownBy(() -> match().header(HeaderMatch.present("a")).header(HeaderMatch.absent("A")).build())
                .hasMessageContaining("headers: 'a' (expected: one condition per header");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a catch-all covers anything               | ALL                         | host=a.com path=/x method=GET | true",
            "a prefix covers a longer prefix           | prefix=/v1                  | prefix=/v1/users             | true",
            "a prefix covers the same prefix           | prefix=/v1                  | prefix=/v1                   | true",
            "a prefix covers an exact path below it    | prefix=/v1                  | path=/v1/x                   | true",
            "a prefix does not cover a sibling         | prefix=/v1                  | prefix=/v10                  | false",
            "/v1/ does not cover /v1                   | prefix=/v1/                 | prefix=/v1                   | false",
            "/v1 covers /v1/                           | prefix=/v1                  | prefix=/v1/                  | true",
            "an exact path covers only itself          | path=/a                     | path=/a                      | true",
            "an exact path does not cover a prefix     | path=/a                     | prefix=/a                    | false",
            "any host covers one host                  | prefix=/                    | host=a.com                   | true",
            "one host does not cover any host          | host=a.com                  | prefix=/                     | false",
            "a wildcard covers a host below it         | host=*.a.com                | host=x.a.com                 | true",
            "a wildcard covers a narrower wildcard     | host=*.a.com                | host=*.x.a.com               | true",
            "a wildcard does not cover its domain      | host=*.a.com                | host=a.com                   | false",
            "an exact host does not cover a wildcard   | host=x.a.com                | host=*.a.com                 | false",
            "a method condition leaves others uncovered | method=GET                 | prefix=/                     | false",
            "methods cover a subset of themselves      | method=GET method=POST      | method=GET                   | true",
            "a header condition leaves others uncovered | header=x-a:1               | prefix=/                     | false",
            "present is implied by an exact value      | header=x-a                  | header=x-a:1                 | true",
            "an exact value is not implied by present  | header=x-a:1                | header=x-a                   | false",
            "a later route's extra condition changes nothing | prefix=/v1            | prefix=/v1 method=GET header=x-a:1 | true",
    })
    void aMatchCoversAnotherWhenEveryRequestOfTheOtherMeetsItToo(String behaviour, String earlier, String later,
            boolean covers) {
        assertThat(parse(earlier).covers(parse(later))).as(behaviour).isEqualTo(covers);
    }

    /** A compact notation for the table above: {@code host=a.com prefix=/v1 method=GET header=x-a:1}. */
    private static RouteMatch parse(String spec) {
        RouteMatch.Builder b = match();
        for (String part : spec.trim().split("\\s+")) {
            if (part.equals("ALL")) {
                continue;
            }
            String value = part.substring(part.indexOf('=') + 1);
            switch (part.substring(0, part.indexOf('='))) {
                case "host" -> b.host(value);
                case "prefix" -> b.pathPrefix(value);
                case "path" -> b.path(value);
                case "method" -> b.method(value);
                case "header" -> b.header(value.contains(":")
                        ? HeaderMatch.exact(value.substring(0, value.indexOf(':')), value.substring(value.indexOf(':') + 1))
                        : HeaderMatch.present(value));
                default -> throw new IllegalArgumentException(part);
            }
        }
        return b.build();
    }
}
