package io.healthyproxy.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.bench.scenario.ProxyPeer.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each peer's config renders from its template, and its two configs differ only in how they treat a 500. */
class PeerVariantsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A placeholder left unfilled ({@code ${...}} in the templates' comments is not one). */
    private static final String PLACEHOLDER = "\\$\\{[A-Z_0-9]+}";

    @TempDir
    Path dir;
    private Workspace work;
    private final List<NginxBackend> backends = new ArrayList<>();

    @BeforeEach
    void threeBackends() {
        work = new Workspace(ROOT, dir);
        for (String name : List.of("b1", "b2", "b3")) {
            backends.add(new NginxBackend(work, name));
        }
    }

    @AfterEach
    void releasePorts() throws InterruptedException {
        for (NginxBackend b : backends) {
            b.stop();
        }
    }

    private String config(Kind kind, String file) throws Exception {
        ProxyPeer peer = ProxyPeer.of(kind, work, backends);
        peer.stop();
        return Files.readString(dir.resolve(file));
    }

    @Test
    void haproxyHasPassiveChecksInItsFirstConfigOnlyAndTheSameRetriesInBoth() throws Exception {
        String passive = config(Kind.HAPROXY, "haproxy.cfg");
        String active = config(Kind.HAPROXY_ACTIVE_CHECKS, "haproxy_active_checks.cfg");

        assertThat(passive).contains("default-server check inter 1s fastinter 500ms rise 2 fall 3 "
                + "observe layer7 error-limit 10 on-error mark-down\n", "stats socket " + dir.resolve("haproxy.sock"));
        assertThat(active).contains("default-server check inter 1s fastinter 500ms rise 2 fall 3 \n")
                .doesNotContain("fall 3 observe");
        for (String config : List.of(passive, active)) {
            assertThat(config).contains("retries 3\n", "option redispatch 1\n", "retry-on all-retryable-errors\n",
                    "http-request disable-l7-retry if METH_POST\n").doesNotContainPattern(PLACEHOLDER);
        }
    }

    @Test
    void nginxTriesTheNextServerOnA500InItsFirstConfigOnly() throws Exception {
        assertThat(config(Kind.NGINX, "nginx.conf"))
                .contains("proxy_next_upstream error timeout http_500 http_502 http_503 http_504;").doesNotContainPattern(PLACEHOLDER);
        assertThat(config(Kind.NGINX_DEFAULT_RETRIES, "nginx_default_retries.conf"))
                .contains("proxy_next_upstream error timeout;").doesNotContainPattern(PLACEHOLDER);
    }

    @Test
    void healthyProxyRunsItsDefaults() throws Exception {
        assertThat(config(Kind.HEALTHY_PROXY, "healthy_proxy.yaml")).doesNotContain("retries", "secondOpinion").doesNotContainPattern(PLACEHOLDER);
    }

    @Test
    void onlyTheSecondConfigsAreLeftOutOfTheThroughputPart() {
        assertThat(List.of(Kind.values())).filteredOn(PeerVariants::isSecondConfig)
                .containsExactly(Kind.HAPROXY_ACTIVE_CHECKS, Kind.NGINX_DEFAULT_RETRIES);
    }
}
