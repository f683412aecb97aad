package io.healthyproxy.bench.scenario;

import java.util.List;

/**
 * Counts the times a proxy takes a backend out of rotation during a measured run, from what the proxy itself
 * tells: HealthyProxy's {@code /timeline} ({@link HealthyProxyTimeline}), HAProxy's stats socket
 * ({@link HaproxyStats}), NGINX's error log ({@link NginxErrorLog}). The JVM peers' programs
 * ({@code bench/peers/jvm}) log no ejections and expose no count, so their column says so.
 */
interface EjectionProbe {

    /** Notes where things stand, as the measured run starts. */
    void start() throws Exception;

    /** The backends taken out since {@link #start()}. */
    Ejections since() throws Exception;

    static EjectionProbe of(ProxyPeer peer, Workspace work, List<NginxBackend> backends) {
        return switch (peer.kind.engine) {
            case HEALTHY_PROXY -> new HealthyProxyTimeline(peer.log());
            case HAPROXY -> new HaproxyStats(HaproxyStats.socket(work, peer.kind), PeerVariants.hasPassiveChecks(peer.kind));
            case NGINX -> new NginxErrorLog(NginxErrorLog.file(work), backends);
            case SCG, VERTX, ARMERIA -> untold("not counted (the peer logs none)");
        };
    }

    /** A probe for a proxy that does not tell its ejections: {@link Ejections#notKnown} with {@code why}. */
    static EjectionProbe untold(String why) {
        return new EjectionProbe() {
            @Override
            public void start() {
            }

            @Override
            public Ejections since() {
                return Ejections.notKnown(why);
            }
        };
    }
}
