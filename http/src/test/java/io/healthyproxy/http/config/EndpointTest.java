package io.healthyproxy.http.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

    @Test
    void parsesHostAndPortInEveryWrittenForm() {
        assertThat(Endpoint.parse("127.0.0.1:8080")).isEqualTo(new Endpoint("127.0.0.1", 8080));
        assertThat(Endpoint.parse(" localhost:9101 ")).isEqualTo(new Endpoint("localhost", 9101));
        assertThat(Endpoint.parse("[::1]:8080")).isEqualTo(new Endpoint("::1", 8080));
        assertThat(Endpoint.parse("[::1]:8080")).hasToString("[::1]:8080");
    }

    /** Regression: "::1" was read as host ":" and port 1. */
    @ParameterizedTest
    @ValueSource(strings = {"::1", "fe80::1:8080", "::1:8080"})
    void rejectsAnIpv6AddressWithoutBrackets(String text) {
        assertThatThrownBy(() -> Endpoint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' (expected: host:port, an IPv6 address in brackets, e.g. [::1]:8080)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", ":8080", "localhost:", "localhost:http", "localhost:70000"})
    void rejectsWhatIsNotHostColonPort(String text) {
        assertThatThrownBy(() -> Endpoint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' (expected: ");
    }
}
