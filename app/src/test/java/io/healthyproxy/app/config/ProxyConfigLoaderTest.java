package io.healthyproxy.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.FailureRateTrigger;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.Hedging;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.Limits;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RetryPolicy;
import io.healthyproxy.http.config.StatusCodes;
import io.healthyproxy.http.config.Timeouts;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Valid configs: what each key sets, and the defaults of what is left out. */
class ProxyConfigLoaderTest {

    private static ProxyConfig load(String yaml) throws ConfigException {
        return ProxyConfigLoader.parse(yaml, "proxy.yaml");
    }

    @Test
    void onlyBackendsIsEnoughAndEverythingElseTakesTheConfigClassesDefaults() throws ConfigException {
        ProxyConfig config = load("backends: [127.0.0.1:9101]");

        assertThat(config).isEqualTo(ProxyConfig.builder().backend("127.0.0.1:9101").build());
        assertThat(config.breaker()).isEqualTo(ProxyConfig.DEFAULT_BREAKER);
        assertThat(config.healthCheck()).isEqualTo(HttpHealthCheck.defaults());
        assertThat(config.timeouts()).isEqualTo(Timeouts.DEFAULTS);
        assertThat(config.retries()).isEqualTo(RetryPolicy.DEFAULTS);
        assertThat(config.limits()).isEqualTo(Limits.DEFAULTS);
        assertThat(config.failureStatuses()).isEqualTo(StatusCodes.GATEWAY_ERRORS);
    }

    @Test
    void aBackendIsItsAddressInTheShortFormAndNamedInTheLongForm() throws ConfigException {
        ProxyConfig config = load("""
                backends:
                  - 127.0.0.1:9101
                  - { name: api-2, address: 127.0.0.1:9102 }
                  - address: 127.0.0.1:9103
                  - "[::1]:9104"
                """);

        assertThat(config.backends()).containsExactly(
                new BackendConfig("127.0.0.1:9101", new Endpoint("127.0.0.1", 9101)),
                new BackendConfig("api-2", new Endpoint("127.0.0.1", 9102)),
                new BackendConfig("127.0.0.1:9103", new Endpoint("127.0.0.1", 9103)),
                new BackendConfig("[::1]:9104", new Endpoint("::1", 9104)));
    }

    @Test
    void everyKeyOfEverySectionReachesTheConfig() throws ConfigException {
        ProxyConfig config = load("""
                listen: 0.0.0.0:8000
                admin: 10.0.0.1:9000
                adminToken: "0123456789abcdef-token"
                backends:
                  - { name: a, address: 10.0.0.11:80 }
                balancing: power_of_two_choices
                whenNoneAdmits: panic
                breaker:
                  failureThreshold: 7
                  openDuration: 3s
                  backoffMultiplier: 1.5
                  maxOpenDuration: 2m
                  openJitter: 0.2
                  backoffResetAfter: 90s
                  halfOpenTrials: 4
                  successThreshold: 3
                  trialTimeout: 20s
                  halfOpenOnHealthRecovery: false
                  failureRate: { threshold: 0.25, minimumCalls: 50, window: 30s, buckets: 30 }
                healthCheck:
                  enabled: false
                  method: HEAD
                  path: /ready
                  expect: 200-299
                  interval: 5s
                  unhealthyInterval: 500ms
                  timeout: 250ms
                  jitter: 0.3
                  healthyThreshold: 4
                  unhealthyThreshold: 5
                  startHealthy: false
                failureStatuses: "500,502"
                timeouts:
                  connect: 2s
                  perTry: 3s
                  request: 20s
                  responseIdle: 45s
                  responseHold: 0ms
                  requestBodyIdle: 7s
                  clientIdle: 120s
                  backendIdle: 15s
                  requestHeader: 5s
                  tunnelIdle: 2h
                  shutdownGrace: 0s
                retries:
                  maxAttempts: 5
                  retryOn: [503]
                  budgetRatio: 0.5
                  budgetMinimum: 10
                  hedging: { enabled: false, delay: 75ms, minDelay: 5ms }
                  secondOpinionOn: []
                limits:
                  maxRequestLine: 4096
                  maxHeaderBytes: 8192
                  maxHeaders: 50
                  maxBodyBytes: 1048576
                  maxBufferedBodyBytes: 1024
                  maxBufferedResponseBytes: 2048
                  maxClientConnections: 500
                accessLog: true
                """);

        assertThat(config.listen()).isEqualTo(new Endpoint("0.0.0.0", 8000));
        assertThat(config.admin()).isEqualTo(new Endpoint("10.0.0.1", 9000));
        assertThat(config.adminToken()).contains("0123456789abcdef-token");
        assertThat(config.backends()).containsExactly(new BackendConfig("a", new Endpoint("10.0.0.11", 80)));
        assertThat(config.balancing()).isEqualTo(Balancing.POWER_OF_TWO_CHOICES);
        assertThat(config.whenNoneAdmits()).isEqualTo(NoBackendPolicy.PANIC);
        assertThat(config.breaker()).isEqualTo(CircuitBreakerConfig.builder().failureThreshold(7)
                .openDuration(Duration.ofSeconds(3)).backoffMultiplier(1.5).maxOpenDuration(Duration.ofMinutes(2))
                .openJitter(0.2).backoffResetAfter(Duration.ofSeconds(90)).halfOpenTrials(4).successThreshold(3)
                .trialTimeout(Duration.ofSeconds(20))
                .failureRate(new FailureRateTrigger(0.25, 50, Duration.ofSeconds(30), 30)).build());
        assertThat(config.halfOpenOnHealthRecovery()).isFalse();
        assertThat(config.healthCheck()).isEqualTo(new HttpHealthCheck(false, "HEAD", "/ready",
                StatusCodes.parse("200-299"), HealthCheckConfig.builder().interval(Duration.ofSeconds(5))
                        .unhealthyInterval(Duration.ofMillis(500)).timeout(Duration.ofMillis(250)).jitter(0.3)
                        .healthyThreshold(4).unhealthyThreshold(5).startHealthy(false).build()));
        assertThat(config.failureStatuses()).isEqualTo(StatusCodes.parse("500,502"));
        assertThat(config.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(20), Duration.ofSeconds(45), Duration.ZERO, Duration.ofSeconds(7),
                Duration.ofSeconds(5), Duration.ofSeconds(120), Duration.ofSeconds(15), Duration.ofHours(2),
                Duration.ZERO));
        assertThat(config.retries()).isEqualTo(new RetryPolicy(5, StatusCodes.parse("503"), 0.5, 10,
                new Hedging(false, Optional.of(Duration.ofMillis(75)), Duration.ofMillis(5)), StatusCodes.NONE));
        assertThat(config.limits()).isEqualTo(new Limits(4096, 8192, 50, 1_048_576, 1024, 2048, 500));
        assertThat(config.accessLog()).isTrue();
    }

    @Test
    void breakerKeysOverrideTheProxysBreakerDefaultsNotTheBreakersOwn() throws ConfigException {
        ProxyConfig config = load("""
                backends: [127.0.0.1:9101]
                breaker: { failureThreshold: 3 }
                """);

        assertThat(config.breaker()).isEqualTo(ProxyConfig.DEFAULT_BREAKER.toBuilder().failureThreshold(3).build());
        assertThat(config.breaker().openDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.breaker().failureRate()).isEmpty();
    }

    @Test
    void theFailureRateTriggerKeepsItsOwnBucketCountUnlessOneIsGiven() throws ConfigException {
        ProxyConfig config = load("""
                backends: [127.0.0.1:9101]
                breaker: { failureRate: { threshold: 0.5, minimumCalls: 20, window: 10s } }
                """);

        assertThat(config.breaker().failureRate()).contains(FailureRateTrigger.of(0.5, 20, Duration.ofSeconds(10)));
    }

    @Test
    void missingKeysInASectionKeepThatSectionsDefaults() throws ConfigException {
        ProxyConfig config = load("""
                backends: [127.0.0.1:9101]
                healthCheck: { path: /ping, interval: 10s }
                timeouts: { request: 30s }
                retries: { hedging: { delay: 40ms } }
                """);

        assertThat(config.healthCheck()).isEqualTo(HttpHealthCheck.defaults().withPath("/ping")
                .withSchedule(HealthCheckConfig.defaults().toBuilder().interval(Duration.ofSeconds(10)).build()));
        assertThat(config.timeouts().request()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.timeouts().connect()).isEqualTo(Timeouts.DEFAULTS.connect());
        assertThat(config.retries().hedging()).isEqualTo(
                new Hedging(true, Optional.of(Duration.ofMillis(40)), Hedging.DEFAULTS.minDelay()));
        assertThat(config.retries().maxAttempts()).isEqualTo(RetryPolicy.DEFAULTS.maxAttempts());
    }

    @Test
    void anEmptySectionIsAllDefaults() throws ConfigException {
        ProxyConfig config = load("""
                backends: [127.0.0.1:9101]
                breaker:
                timeouts: {}
                """);

        assertThat(config.breaker()).isEqualTo(ProxyConfig.DEFAULT_BREAKER);
        assertThat(config.timeouts()).isEqualTo(Timeouts.DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"power_of_two_choices", "POWER_OF_TWO_CHOICES", "Power-Of-Two-Choices"})
    void choicesAreReadInAnyCaseAndWithDashes(String written) throws ConfigException {
        ProxyConfig config = load("backends: [127.0.0.1:9101]\nbalancing: " + written + "\nwhenNoneAdmits: PANIC");

        assertThat(config.balancing()).isEqualTo(Balancing.POWER_OF_TWO_CHOICES);
        assertThat(config.whenNoneAdmits()).isEqualTo(NoBackendPolicy.PANIC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"500,502-504\"", "[500, 502, 503, 504]", "[500, \"502-504\"]", "[\"5xx\"]"})
    void statusSetsAreAStringOrAList(String written) throws ConfigException {
        ProxyConfig config = load("backends: [127.0.0.1:9101]\nfailureStatuses: " + written);

        assertThat(config.failureStatuses().contains(500)).isTrue();
        assertThat(config.failureStatuses().contains(503)).isTrue();
        assertThat(config.failureStatuses().contains(501)).isEqualTo(written.contains("5xx"));
        assertThat(config.failureStatuses().contains(200)).isFalse();
    }

    @Test
    void aSingleNumberIsAStatusSetAndAnEmptyListIsNone() throws ConfigException {
        ProxyConfig config = load("""
                backends: [127.0.0.1:9101]
                healthCheck: { expect: 204 }
                retries: { retryOn: [] }
                """);

        assertThat(config.healthCheck().expect()).isEqualTo(StatusCodes.parse("204"));
        assertThat(config.retries().retryOn()).isEqualTo(StatusCodes.NONE);
    }

    @Test
    void hedgingDelayAutoMeansAdaptive() throws ConfigException {
        ProxyConfig config = load("backends: [127.0.0.1:9101]\nretries: { hedging: { delay: auto } }");

        assertThat(config.retries().hedging().delay()).isEmpty();
    }

    @Test
    void yamlCoreSchemaSpellingsOfBooleansAndNumbersAreAccepted() throws ConfigException {
        ProxyConfig config = load("""
                backends: [127.0.0.1:9101]
                accessLog: True
                limits: { maxBodyBytes: 0x100000, maxHeaders: +64 }
                breaker: { backoffMultiplier: 3 }
                """);

        assertThat(config.accessLog()).isTrue();
        assertThat(config.limits().maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(config.limits().maxHeaders()).isEqualTo(64);
        assertThat(config.breaker().backoffMultiplier()).isEqualTo(3.0);
    }

    @Test
    void aliasesRepeatAValue() throws ConfigException {
        ProxyConfig config = load("""
                backends: [127.0.0.1:9101]
                failureStatuses: &gateway "502,503"
                retries: { retryOn: *gateway }
                """);

        assertThat(config.retries().retryOn()).isEqualTo(StatusCodes.parse("502,503"));
    }
}
