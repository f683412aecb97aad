package io.healthyproxy.http.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigModelTest {

    @Test
    void endpointsParseHostPortAndIpv6() {
        assertThat(Endpoint.parse("127.0.0.1:8080")).isEqualTo(new Endpoint("127.0.0.1", 8080));
        assertThat(Endpoint.parse("[::1]:9000")).isEqualTo(new Endpoint("::1", 9000));
        assertThat(Endpoint.parse("[::1]:9000").toString()).isEqualTo("[::1]:9000");
        assertThatThrownBy(() -> Endpoint.parse("localhost")).hasMessageContaining("expected: host:port");
        assertThatThrownBy(() -> Endpoint.parse("localhost:http")).hasMessageContaining("numeric port");
        assertThatThrownBy(() -> Endpoint.parse("localhost:70000")).hasMessageContaining("0..65535");
    }

    @Test
    void statusCodesTakeCodesRangesAndClasses() {
        StatusCodes codes = StatusCodes.parse("2xx, 304, 500-502");

        assertThat(codes.contains(200)).isTrue();
        assertThat(codes.contains(299)).isTrue();
        assertThat(codes.contains(304)).isTrue();
        assertThat(codes.contains(501)).isTrue();
        assertThat(codes.contains(503)).isFalse();
        assertThat(codes.contains(301)).isFalse();
        assertThatThrownBy(() -> StatusCodes.parse("2xx,abc")).hasMessageContaining("'abc' is not a status code");
        assertThatThrownBy(() -> StatusCodes.parse("600")).hasMessageContaining("'600' is not a status code");
    }

    @Test
    void aProxyNeedsBackendsWithUniqueNames() {
        assertThatThrownBy(() -> ProxyConfig.builder().build()).hasMessage("backends: [] (expected: at least one backend, or clusters)");
        assertThatThrownBy(() -> ProxyConfig.builder().backend("127.0.0.1:1").backend("127.0.0.1:1").build())
                .hasMessageContaining("unique names");
    }

    @Test
    void anAdminAddressOffLoopbackNeedsAToken() {
        ProxyConfig.Builder b = ProxyConfig.builder().backend("127.0.0.1:9101").admin(Endpoint.parse("0.0.0.0:9901"));

        assertThatThrownBy(b::build).hasMessageContaining("a loopback address, or an adminToken");
        assertThatThrownBy(() -> b.adminToken("short").build()).hasMessageContaining("at least 16 characters");
        assertThat(b.adminToken("0123456789abcdef0123").build().adminToken()).isPresent();
    }

    @Test
    void perTryMayNotExceedTheRequestTimeout() {
        assertThatThrownBy(() -> Timeouts.builder().perTry(Duration.ofSeconds(20)).request(Duration.ofSeconds(10))
                .build())
                .hasMessage("timeouts.perTry: 20s (expected: <= timeouts.request 10s)");
    }

    @Test
    void defaultsAreWhatTheDocsSay() {
        ProxyConfig c = ProxyConfig.builder().backend("127.0.0.1:9101").build();

        assertThat(c.listen()).isEqualTo(Endpoint.parse("127.0.0.1:8080"));
        assertThat(c.admin()).isEqualTo(Endpoint.parse("127.0.0.1:9901"));
        assertThat(c.breaker().failureThreshold()).isEqualTo(5);
        assertThat(c.breaker().openDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.healthCheck().path()).isEqualTo("/health");
        assertThat(c.failureStatuses()).isEqualTo(StatusCodes.parse("502,503,504"));
        assertThat(c.retries().maxAttempts()).isEqualTo(3);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }
}
