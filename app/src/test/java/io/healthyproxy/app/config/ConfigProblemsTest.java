package io.healthyproxy.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What is wrong in a file is reported with file, line, key path, the bad value and what was expected. */
class ConfigProblemsTest {

    static List<String> problems(String yaml) {
        try {
            ProxyConfigLoader.parse(yaml, "proxy.yaml");
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        return fail("expected the config to be rejected:%n%s", yaml);
    }

    @Test
    void aBadBackendAddressNamesItsIndexAndWhatAnAddressLooksLike() {
        assertThat(problems("""
                backends:
                  - 127.0.0.1:9101
                  - { name: api-2, address: localhost }
                """)).containsExactly(
                "proxy.yaml:3: backends[1].address: 'localhost' (expected: host:port, e.g. 127.0.0.1:8080)");
    }

    @Test
    void aBadShortFormBackendIsReportedOnItsOwnLine() {
        assertThat(problems("""
                backends:
                  - 127.0.0.1:9101
                  - 127.0.0.1
                  - [1, 2]
                """)).containsExactly(
                "proxy.yaml:3: backends[1]: '127.0.0.1' (expected: host:port, e.g. 127.0.0.1:8080)",
                "proxy.yaml:4: backends[2]: a list (expected: host:port, or { name: ..., address: host:port, weight: ... })");
    }

    @Test
    void aBuilderRejectingAValueIsReportedAtItsKey() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                breaker:
                  openDuration: 5s
                  failureThreshold: 0
                """)).containsExactly("proxy.yaml:4: breaker.failureThreshold: 0 (expected: > 0)");
    }

    @Test
    void aCrossFieldRuleIsReportedAtTheFieldItNamesWithTheSectionPrefixed() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                breaker:
                  halfOpenTrials: 1
                  successThreshold: 2
                """)).containsExactly("proxy.yaml:4: breaker.successThreshold: 2 "
                + "(expected: <= halfOpenTrials 1, or the circuit could never close)");
    }

    @Test
    void aCrossFieldRuleAboutAKeyNotInTheFileIsReportedAtItsSection() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]

                breaker:
                  openDuration: 10m
                """)).containsExactly("proxy.yaml:3: breaker.maxOpenDuration: 5m (expected: >= openDuration 10m)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "timeouts: { perTry: 90s }                   | proxy.yaml:2: timeouts.perTry: 90s (expected: <= timeouts.request 1m)",
            "timeouts: { connect: 0s }                   | proxy.yaml:2: timeouts.connect: 0ms (expected: > 0)",
            "limits: { maxHeaders: 0 }                   | proxy.yaml:2: limits.maxHeaders: 0 (expected: 1..10000)",
            "retries: { maxAttempts: 11 }                | proxy.yaml:2: retries.maxAttempts: 11 (expected: 1..10)",
            "retries: { hedging: { minDelay: 0ms } }     | proxy.yaml:2: retries.hedging.minDelay: 0ms (expected: > 0)",
            "retries: { hedging: { delay: soon } }       | proxy.yaml:2: retries.hedging.delay: 'soon' (expected: auto, or a duration, e.g. 50ms)",
            "healthCheck: { method: get }                | proxy.yaml:2: healthCheck.method: 'get' (expected: an HTTP method, e.g. GET)",
            "healthCheck: { path: health }               | proxy.yaml:2: healthCheck.path: 'health' (expected: a path starting with /)",
            "healthCheck: { expect: [] }                 | proxy.yaml:2: healthCheck.expect: '' (expected: at least one status)",
            "healthCheck: { interval: 0s }               | proxy.yaml:2: healthCheck.interval: 0ms (expected: > 0)",
            "healthCheck: { jitter: 0.9 }                | proxy.yaml:2: healthCheck.jitter: 0.9 (expected: 0.0..0.5)",
            "breaker: { failureRate: { threshold: 2, minimumCalls: 5, window: 1s } } | proxy.yaml:2: breaker.failureRate.threshold: 2.0 (expected: > 0 and <= 1)",
            "breaker: { failureRate: { threshold: 0.5, minimumCalls: 5, window: 1s, buckets: 0 } } | proxy.yaml:2: breaker.failureRate.buckets: 0 (expected: 1..600)",
            "failureStatuses: 2xx,abc                    | proxy.yaml:2: failureStatuses: '2xx,abc': 'abc' is not a status code (expected: codes, ranges or classes, e.g. 200, 200-399, 2xx, 502,503)",
            "failureStatuses: [502, 6xx]                 | proxy.yaml:2: failureStatuses[1]: '6xx': '6xx' is not a status code (expected: codes, ranges or classes, e.g. 200, 200-399, 2xx, 502,503)",
            "balancing: random                           | proxy.yaml:2: balancing: 'random' (expected: one of round_robin, power_of_two_choices)",
            "balancing: round_robbin                     | proxy.yaml:2: balancing: 'round_robbin' (expected: one of round_robin, power_of_two_choices; did you mean round_robin?)",
            "listen: '::1'                               | proxy.yaml:2: listen: '::1' (expected: host:port, an IPv6 address in brackets, e.g. [::1]:8080)",
            "adminToken: short                           | proxy.yaml:2: adminToken: (5 characters) (expected: at least 16 characters)",
            "admin: 0.0.0.0:9901                         | proxy.yaml:2: admin: 0.0.0.0:9901 (expected: a loopback address, or an adminToken to guard it with)",
            "listen: 127.0.0.1:9901                      | proxy.yaml:1: admin: 127.0.0.1:9901 (expected: a different address than listen)",
    })
    void aValueAConfigClassRejectsIsReportedWithItsPathAndLine(String line, String problem) {
        assertThat(problems("backends: [127.0.0.1:9101]\n" + line)).containsExactly(problem);
    }

    @Test
    void theFailureRateTriggerNeedsItsThreeKeys() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                breaker:
                  failureRate: { threshold: 0.5 }
                """)).containsExactly(
                "proxy.yaml:3: breaker.failureRate.minimumCalls: missing (expected: calls needed before the rate "
                        + "counts, e.g. 20)",
                "proxy.yaml:3: breaker.failureRate.window: missing (expected: a duration, e.g. 10s)");
    }

    @Test
    void aDuplicateBackendNameIsReportedAtTheSecondOne() {
        assertThat(problems("""
                listen: 127.0.0.1:8080
                backends:
                  - { name: api, address: 127.0.0.1:9101 }
                  - { name: api, address: 127.0.0.1:9102 }
                """)).containsExactly("proxy.yaml:4: backends[1]: 'api' (expected: unique names; the same name is at "
                + "line 3)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "breaker: [1, 2]                    | breaker: a list (expected: a mapping)",
            "breaker: off                       | breaker: 'off' (expected: a mapping)",
            "breaker: { failureThreshold: five } | breaker.failureThreshold: 'five' (expected: an integer)",
            "breaker: { failureThreshold: '5' } | breaker.failureThreshold: '5' (expected: an integer)",
            "breaker: { failureThreshold: 2.5 } | breaker.failureThreshold: 2.5 (expected: an integer)",
            "breaker: { openJitter: lots }      | breaker.openJitter: 'lots' (expected: a number)",
            "breaker: { openDuration: 5 }       | breaker.openDuration: '5' is not a duration (expected: a number and a unit, e.g. 250ms, 5s, 1.5s, 2m, 1h)",
            "breaker: { openDuration: [5s] }    | breaker.openDuration: a list (expected: a duration, e.g. 250ms, 5s, 2m)",
            "accessLog: yes                     | accessLog: 'yes' (expected: true or false)",
            "accessLog:                         | accessLog: no value (expected: true or false)",
            "listen: [127.0.0.1:8080]           | listen: a list (expected: host:port, or { address: host:port, tls: { ... } })",
            "adminToken: [a]                    | adminToken: a list (expected: a string)",
            "limits: { maxHeaders: 99999999999 } | limits.maxHeaders: 99999999999 (expected: an integer <= 2147483647)",
            "failureStatuses: { a: 1 }          | failureStatuses: a mapping (expected: status codes, e.g. 2xx, \"502,503,504\" or [502, 503])",
            "failureStatuses: [[502]]           | failureStatuses[0]: a list (expected: a status code, range or class, e.g. 503, 500-599, 5xx)",
    })
    void aValueOfTheWrongTypeNamesTheTypeExpected(String line, String problem) {
        assertThat(problems("backends: [127.0.0.1:9101]\n" + line)).containsExactly("proxy.yaml:2: " + problem);
    }

    @Test
    void anUnknownTopLevelKeyIsAnErrorWithTheClosestKnownKey() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                listne: 127.0.0.1:8080
                """)).containsExactly("proxy.yaml:2: listne: unknown key (did you mean listen?)");
    }

    @Test
    void anUnknownNestedKeyIsAnErrorWithTheClosestKnownKey() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                retries:
                  hedging:
                    dealy: 10ms
                breaker:
                  failure_threshold: 3
                """)).containsExactly(
                "proxy.yaml:4: retries.hedging.dealy: unknown key (did you mean delay?)",
                "proxy.yaml:6: breaker.failure_threshold: unknown key (did you mean failureThreshold?)");
    }

    @Test
    void anUnknownKeyLikeNoKnownOneListsTheKnownOnes() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                timeouts: { forever: 1h }
                """)).containsExactly("proxy.yaml:2: timeouts.forever: unknown key (expected: one of connect, perTry, "
                + "request, responseIdle, responseHold, requestBodyIdle, requestHeader, clientIdle, backendIdle, "
                + "tunnelIdle, shutdownGrace)");
    }

    @Test
    void anUnknownKeyInALongFormBackendIsAnError() {
        assertThat(problems("""
                backends:
                  - { name: a, address: 127.0.0.1:9101, port: 2 }
                """)).containsExactly("proxy.yaml:2: backends[0].port: unknown key (expected: one of name, address, "
                + "weight)");
    }

    @Test
    void everyProblemInTheFileIsReportedAtOnceInLineOrder() {
        assertThat(problems("""
                listen: localhost
                backends:
                  - 127.0.0.1:9101
                  - { name: b }
                breaker:
                  failureThreshold: 0
                  openDuration: soon
                  halfOpenTrial: 2
                timeouts: { perTry: 0s }
                accessLog: 1
                """)).containsExactly(
                "proxy.yaml:1: listen: 'localhost' (expected: host:port, e.g. 127.0.0.1:8080)",
                "proxy.yaml:4: backends[1].address: missing (expected: host:port, e.g. 127.0.0.1:9101)",
                "proxy.yaml:6: breaker.failureThreshold: 0 (expected: > 0)",
                "proxy.yaml:7: breaker.openDuration: 'soon' is not a duration (expected: a number and a unit, e.g. "
                        + "250ms, 5s, 1.5s, 2m, 1h)",
                "proxy.yaml:8: breaker.halfOpenTrial: unknown key (did you mean halfOpenTrials?)",
                "proxy.yaml:9: timeouts.perTry: 0ms (expected: > 0)",
                "proxy.yaml:10: accessLog: 1 (expected: true or false)");
    }

    @Test
    void theExceptionMessageListsTheProblemsOnePerLine() {
        ConfigException e = null;
        try {
            ProxyConfigLoader.parse("backends: [x]\naccessLog: no\n", "proxy.yaml");
        } catch (ConfigException thrown) {
            e = thrown;
        }

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("""
                proxy.yaml:1: backends[0]: 'x' (expected: host:port, e.g. 127.0.0.1:8080)
                proxy.yaml:2: accessLog: 'no' (expected: true or false)""");
        assertThat(e.problems()).extracting(ConfigProblem::line).containsExactly(1, 2);
    }

    /** The section would be checked with the default perTry (30s) against request 500ms: not the user's mistake. */
    @Test
    void aSectionWithABadPartIsNotAlsoCheckedAsAWhole() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                timeouts: { request: 500ms, perTry: later }
                """)).containsExactly("proxy.yaml:2: timeouts.perTry: 'later' is not a duration (expected: a number "
                + "and a unit, e.g. 250ms, 5s, 1.5s, 2m, 1h)");
    }
}
