package io.healthyproxy.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.bench.scenario.ProxyPeer.Kind;
import org.junit.jupiter.api.Test;

/** Which proxies each part of a run measures: the second configs and the JVM peers where they belong. */
class RunOptionsTest {

    @Test
    void theFullRunMeasuresEachVariantOnlyWhereItDiffersAndVertxEverywhereButTheFailures() {
        RunOptions full = RunOptions.parse(new String[0]);

        assertThat(full.proxies()).containsExactly(Kind.values());
        assertThat(full.firstConfigs()).containsExactly(Kind.HAPROXY, Kind.NGINX, Kind.HEALTHY_PROXY, Kind.SCG,
                Kind.VERTX, Kind.ARMERIA);
        assertThat(full.failureProxies()).containsExactly(Kind.HAPROXY, Kind.HAPROXY_ACTIVE_CHECKS, Kind.NGINX,
                Kind.NGINX_DEFAULT_RETRIES, Kind.HEALTHY_PROXY, Kind.SCG, Kind.ARMERIA);
        assertThat(full.freshStartProxies()).containsExactly(Kind.HAPROXY, Kind.NGINX, Kind.HEALTHY_PROXY,
                Kind.HEALTHY_PROXY_NO_WARM_UP);
    }

    @Test
    void aQuickRunLeavesTheJvmPeersOutButKeepsBothConfigsOfEachNativePeer() {
        RunOptions quick = RunOptions.parse(new String[] {"--quick"});

        assertThat(quick.proxies()).noneMatch(k -> k.jvmPeer);
        assertThat(quick.failureProxies()).containsExactly(Kind.HAPROXY, Kind.HAPROXY_ACTIVE_CHECKS, Kind.NGINX,
                Kind.NGINX_DEFAULT_RETRIES, Kind.HEALTHY_PROXY);
        assertThat(quick.firstConfigs()).containsExactly(Kind.HAPROXY, Kind.NGINX, Kind.HEALTHY_PROXY);
        assertThat(quick.freshStartProxies()).containsExactly(Kind.HAPROXY, Kind.NGINX, Kind.HEALTHY_PROXY,
                Kind.HEALTHY_PROXY_NO_WARM_UP);
    }

    @Test
    void aSecondConfigRunsTheSameProgramAsTheFirst() {
        assertThat(Kind.HAPROXY_ACTIVE_CHECKS.engine).isEqualTo(Kind.HAPROXY.engine);
        assertThat(Kind.NGINX_DEFAULT_RETRIES.engine).isEqualTo(Kind.NGINX.engine);
        assertThat(Kind.values()).filteredOn(k -> k.jvmPeer).containsExactly(Kind.SCG, Kind.VERTX, Kind.ARMERIA);
    }
}
