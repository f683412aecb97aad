package io.healthyproxy.app.config;

import static io.healthyproxy.app.config.ConfigProblemsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.GrpcPolicy;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.UpstreamProtocol;
import io.healthyproxy.http.config.UpstreamTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster's protocol, TLS to its backends, gRPC rules and gRPC health checks, read from YAML. */
class UpstreamProtocolConfigTest {

    @TempDir
    Path dir;

    private static ClusterConfig cluster(String yaml) throws ConfigException {
        ProxyConfig config = ProxyConfigLoader.parse(yaml, "proxy.yaml");
        return config.clusters().values().iterator().next();
    }

    @Test
    void aClusterSpeaksHttp1WithoutTlsByDefault() throws ConfigException {
        ClusterConfig c = cluster("clusters: { api: { backends: [127.0.0.1:9101] } }\n");

        assertThat(c.protocol()).isEqualTo(UpstreamProtocol.HTTP1);
        assertThat(c.tls()).isEmpty();
        assertThat(c.grpc()).isEqualTo(GrpcPolicy.DEFAULTS);
        assertThat(c.grpc().failureCodes()).containsExactly(14);
        assertThat(c.healthCheck().type()).isEqualTo(HttpHealthCheck.Type.HTTP);
    }

    @Test
    void everyKeyReachesTheCluster() throws ConfigException, IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "placeholder");
        Path cert = Files.writeString(dir.resolve("proxy.pem"), "placeholder");
        Path key = Files.writeString(dir.resolve("proxy.key"), "placeholder");
        ClusterConfig c = cluster("""
                clusters:
                  orders:
                    protocol: h2
                    tls: { caFile: %s, serverName: orders.internal, clientCertificate: %s, clientKey: %s }
                    grpc: { failureCodes: [UNAVAILABLE, 8, deadline_exceeded], retryableMethods: [/shop.Orders/Get] }
                    healthCheck: { type: grpc, service: shop.Orders }
                    backends: [127.0.0.1:50051]
                """.formatted(ca, cert, key));

        assertThat(c.protocol()).isEqualTo(UpstreamProtocol.H2);
        assertThat(c.tls()).contains(new UpstreamTls(Optional.of(ca), Optional.of("orders.internal"), true,
                Optional.of(cert), Optional.of(key)));
        assertThat(c.grpc()).isEqualTo(new GrpcPolicy(Set.of(14, 8, 4), Set.of("/shop.Orders/Get")));
        assertThat(c.healthCheck().type()).isEqualTo(HttpHealthCheck.Type.GRPC);
        assertThat(c.healthCheck().service()).isEqualTo("shop.Orders");
    }

    @Test
    void h2WithoutTlsVerifiesAgainstTheDefaultTrustStore() throws ConfigException {
        ClusterConfig c = cluster("clusters: { api: { protocol: h2, backends: [127.0.0.1:9101] } }\n");

        assertThat(c.tls()).contains(UpstreamTls.DEFAULTS);
        assertThat(c.tls().orElseThrow().verify()).isTrue();
    }

    @Test
    void http1OverTlsIsHttp1WithTls() throws ConfigException {
        ClusterConfig c = cluster("clusters: { api: { tls: { verify: false }, backends: [127.0.0.1:9101] } }\n");

        assertThat(c.protocol()).isEqualTo(UpstreamProtocol.HTTP1);
        assertThat(c.tls()).contains(UpstreamTls.DEFAULTS.withVerify(false));
    }

    @Test
    void wrongProtocolTlsAndGrpcKeysAreEachReportedAtTheirLine() {
        assertThat(problems("""
                clusters:
                  api:
                    protocol: http3
                    backends: [127.0.0.1:9101]
                    tls: { caFile: /no/such/ca.pem, verifyy: true }
                    grpc: { failureCodes: [NOPE], retryableMethods: [Get] }
                    healthCheck: { type: tcp }
                """)).containsExactly(
                "proxy.yaml:3: clusters.api.protocol: 'http3' (expected: one of http1, h2c, h2; did you mean http1?)",
                "proxy.yaml:5: clusters.api.tls.caFile: '/no/such/ca.pem' (expected: a readable PEM file)",
                "proxy.yaml:5: clusters.api.tls.verifyy: unknown key (did you mean verify?)",
                "proxy.yaml:6: clusters.api.grpc.failureCodes: 'NOPE' (expected: gRPC status codes, by number or "
                        + "name, e.g. [UNAVAILABLE, 8])",
                "proxy.yaml:7: clusters.api.healthCheck.type: 'tcp' (expected: one of http, grpc; did you mean http?)");
    }

    @Test
    void aMissingCaFileAndABadMethodNameAreReported() {
        assertThat(problems("""
                clusters:
                  api:
                    backends: [127.0.0.1:9101]
                    tls: { caFile: /no/such/ca.pem }
                    grpc: { retryableMethods: [Get] }
                """)).containsExactly(
                "proxy.yaml:4: clusters.api.tls.caFile: '/no/such/ca.pem' (expected: a readable PEM file)",
                "proxy.yaml:5: clusters.api.grpc.retryableMethods: 'Get' (expected: a full method name, e.g. "
                        + "/pkg.Service/Get)");
    }

    @Test
    void aGrpcCheckNeedsAnHttp2ClusterAndH2cTakesNoTls() {
        assertThat(problems("""
                clusters:
                  api:
                    backends: [127.0.0.1:9101]
                    healthCheck: { type: grpc }
                  rpc:
                    protocol: h2c
                    tls: { verify: false }
                    backends: [127.0.0.1:9102]
                routes:
                  - { match: { pathPrefix: /a }, cluster: api }
                  - { match: { pathPrefix: / }, cluster: rpc }
                """)).containsExactly(
                "proxy.yaml:4: clusters.api.healthCheck.type: grpc (expected: http, or protocol h2c or h2: gRPC "
                        + "needs HTTP/2)",
                "proxy.yaml:6: clusters.rpc.protocol: h2c (expected: h2 for HTTP/2 over TLS; h2c is cleartext)");
    }

    @Test
    void protocolAndGrpcAtTheTopLevelSayTheyBelongInACluster() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                protocol: h2c
                grpc: { failureCodes: [14] }
                """)).containsExactly(
                "proxy.yaml:2: protocol: not in the top level (expected: in a cluster only: what a cluster's "
                        + "backends speak; the top level's tls is the listener's)",
                "proxy.yaml:3: grpc: not in the top level (expected: in a cluster only: what a cluster's backends "
                        + "speak; the top level's tls is the listener's)");
    }
}
