package io.healthyproxy.bench.scenario;

import io.healthyproxy.bench.scenario.ProxyPeer.Kind;
import java.util.Map;

/**
 * How each peer's config treats a 500: the placeholders of {@code bench/peers/haproxy.cfg} and
 * {@code nginx-lb.conf} that differ between a peer's two configs. Both are configs operators write, so both are
 * measured in the failure scenarios (the comments in the config files say where each comes from):
 *
 * <ul>
 *   <li>HAProxy: L7 retries on every retryable error, with passive checks that mark a server down after 10
 *       consecutive errors on real traffic (HAProxy's "passive health checks" recipe; {@link Kind#HAPROXY}), or
 *       with active checks only ({@link Kind#HAPROXY_ACTIVE_CHECKS}, what most configs have).</li>
 *   <li>NGINX: the next server tried on a 500 too ({@code proxy_next_upstream error timeout http_500 ...}, which
 *       also makes a 500 count towards {@code max_fails}; {@link Kind#NGINX}), or NGINX's default
 *       ({@code error timeout}: a 500 goes to the client and counts against nobody; {@link Kind#NGINX_DEFAULT_RETRIES}).</li>
 * </ul>
 *
 * The throughput part runs each peer's first config only: the configs differ in nothing a healthy backend meets.
 */
final class PeerVariants {

    static final String PASSIVE_CHECKS = "observe layer7 error-limit 10 on-error mark-down";
    static final String NEXT_UPSTREAM_ON_5XX = "error timeout http_500 http_502 http_503 http_504";
    static final String NEXT_UPSTREAM_DEFAULT = "error timeout";

    private PeerVariants() {
    }

    /** The values of the variant placeholders for {@code kind}, and where HAProxy's stats socket is. */
    static Map<String, String> templateValues(Kind kind, Workspace work) {
        return Map.of("PASSIVE_CHECKS", hasPassiveChecks(kind) ? PASSIVE_CHECKS : "",
                "NEXT_UPSTREAM", kind == Kind.NGINX_DEFAULT_RETRIES ? NEXT_UPSTREAM_DEFAULT : NEXT_UPSTREAM_ON_5XX,
                "STATS_SOCKET", HaproxyStats.socket(work, kind).toString());
    }

    /** Whether {@code kind} is HAProxy with passive checks ({@code observe layer7}). */
    static boolean hasPassiveChecks(Kind kind) {
        return kind == Kind.HAPROXY;
    }

    /**
     * Whether {@code kind} is a variant measured only in the start-up and warm-up-tail parts, the only ones it
     * differs in: HealthyProxy without its warm-up before listening.
     */
    static boolean isStartVariant(Kind kind) {
        return kind == Kind.HEALTHY_PROXY_NO_WARM_UP;
    }

    /** Whether {@code kind} is a peer's second config, measured only where configs differ: the failure scenarios. */
    static boolean isSecondConfig(Kind kind) {
        return kind == Kind.HAPROXY_ACTIVE_CHECKS || kind == Kind.NGINX_DEFAULT_RETRIES;
    }
}
