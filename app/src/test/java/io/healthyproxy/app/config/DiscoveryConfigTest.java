package io.healthyproxy.app.config;

import static io.healthyproxy.app.config.ConfigProblemsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.DiscoveredBackends;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.ProxyConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code dns:} and {@code srv:} backends and the {@code discovery} section, as read from YAML. */
class DiscoveryConfigTest {

    private static ProxyConfig load(String yaml) throws ConfigException {
        return ProxyConfigLoader.parse(yaml, "proxy.yaml");
    }

    @Test
    void dnsAndSrvEntriesStandBesideListedBackends() throws ConfigException {
        ProxyConfig config = load("""
                discovery: { nameservers: [127.0.0.1:5353], timeout: 500ms }
                clusters:
                  api:
                    backends:
                      - 127.0.0.1:9101
                      - { dns: api.internal:8080, weight: 2, resolveEvery: 10s }
                      - { srv: _http._tcp.api.internal, name: api-srv, resolveEvery: ttl }
                """);
        ClusterConfig api = config.clusters().get("api");

        assertThat(api.backends()).hasSize(1);
        assertThat(api.discovered()).containsExactly(
                new DiscoveredBackends("api.internal:8080", DiscoveredBackends.Kind.ADDRESSES, "api.internal", 8080,
                        2, Duration.ofSeconds(10), false),
                new DiscoveredBackends("api-srv", DiscoveredBackends.Kind.SRV, "_http._tcp.api.internal", 0, 1,
                        DiscoveredBackends.DEFAULT_RESOLVE_EVERY, true));
        assertThat(config.discovery().nameservers()).containsExactly(new Endpoint("127.0.0.1", 5353));
        assertThat(config.discovery().timeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theFlatFormMayHaveOnlyDnsBackends() throws ConfigException {
        ProxyConfig config = load("backends: [{ dns: web.internal:80 }]");

        assertThat(config.clusters().get(ProxyConfig.DEFAULT_CLUSTER).discovered())
                .containsExactly(DiscoveredBackends.dns("web.internal:80"));
        assertThat(config.discovery().nameservers()).as("the system's resolver").isEmpty();
    }

    @Test
    void aWrongEntryIsNamedAtItsLine() {
        assertThat(problems("""
                backends:
                  - { dns: api.internal }
                  - { dns: a.internal:80, srv: _http._tcp.a.internal }
                  - { dns: b.internal:80, resolveEvery: often }
                  - { srv: _x._tcp.c.internal, resolveEvry: 5s }
                """)).containsExactly(
                "proxy.yaml:2: backends[0].dns: 'api.internal' (expected: host:port, e.g. 127.0.0.1:8080)",
                "proxy.yaml:3: backends[1].srv: given with dns (expected: one of dns or srv)",
                "proxy.yaml:4: backends[2].resolveEvery: 'often' is not a duration (expected: a number and a unit, "
                        + "e.g. 250ms, 5s, 1.5s, 2m, 1h)",
                "proxy.yaml:5: backends[3].resolveEvry: unknown key (did you mean resolveEvery?)");
    }

    @Test
    void twoEntriesOfOneNameAreAnError() {
        assertThat(problems("""
                backends:
                  - { dns: api.internal:80 }
                  - { dns: api.internal:80 }
                """)).containsExactly("proxy.yaml:3: backends[1]: 'api.internal:80' (expected: unique names; "
                + "the same name is at line 2)");
    }

    @Test
    void aWrongDiscoverySectionIsNamed() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                discovery: { nameservers: [nowhere], timeout: -1s }
                """)).containsExactly(
                "proxy.yaml:2: discovery.nameservers[0]: 'nowhere' (expected: host:port, e.g. 127.0.0.1:8080)",
                "proxy.yaml:2: discovery.timeout: '-1s' is not a duration (expected: a number and a unit, e.g. 250ms, "
                        + "5s, 1.5s, 2m, 1h)");
    }
}
