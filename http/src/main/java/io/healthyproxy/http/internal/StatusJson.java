package io.healthyproxy.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendStatus;
import io.healthyproxy.core.breaker.CircuitSnapshot;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.FailureCount;
import io.healthyproxy.core.health.HealthStatus;
import io.healthyproxy.core.stats.RecentLatencies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /status}: the proxy, then each cluster with its backends: circuit state, health verdict, ejection,
 * why it is in that state ({@code reason} in words, and the facts it is made of: {@code lastTransition},
 * {@code failureKinds}, {@code nextTrialInMs}, {@code checkInFlight}, {@code nextCheckInMs}), counters since
 * start ({@code requestsTotal}, {@code failuresTotal}: a reader gets rates from two readings and
 * {@code proxy.uptimeMs}), recent latency percentiles, last check. Every field is documented in
 * docs/ARCHITECTURE.md ("The dashboard"); fields are only ever added, never renamed.
 */
final class StatusJson {

    private static final JsonFactory JSON = new JsonFactory();

    private StatusJson() {
    }

    static byte[] render(ProxyContext proxy, String listen, long uptimeNanos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        long now = proxy.ticker.read();
        try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeObjectFieldStart("proxy");
            g.writeStringField("listen", listen);
            g.writeStringField("transport", NettyTransport.name());
            g.writeBooleanField("draining", proxy.isDraining());
            g.writeNumberField("uptimeMs", uptimeNanos / 1_000_000);
            g.writeNumberField("clientConnections", proxy.clientConnections());
            g.writeNumberField("activeRequests", proxy.activeExchanges());
            g.writeEndObject();
            g.writeArrayFieldStart("clusters");
            for (Cluster cluster : proxy.clusters()) {
                writeCluster(g, cluster, proxy.discoveryStatus.apply(cluster.name()), now);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeCluster(JsonGenerator g, Cluster cluster, Map<String, Discovery.Status> discovered,
            long now) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", cluster.name());
        g.writeNumberField("retriesInFlight", cluster.budget().retriesInFlight());
        g.writeNumberField("retryBudgetExhausted", cluster.budget().exhaustedCount());
        g.writeNumberField("hedgeDelayMs", cluster.hedgeDelay().delayNanos() / 1e6);
        g.writeArrayFieldStart("backends");
        for (Backend backend : cluster.pool().backends()) {
            writeBackend(g, backend.status(), cluster, backend, now);
        }
        g.writeEndArray();
        if (!discovered.isEmpty()) {
            writeDiscovery(g, discovered, now);
        }
        g.writeEndObject();
    }

    /** Each DNS entry: the backends it stands for, when it last resolved, and why it does not now, if so. */
    private static void writeDiscovery(JsonGenerator g, Map<String, Discovery.Status> discovered, long now)
            throws IOException {
        g.writeArrayFieldStart("discovery");
        for (Map.Entry<String, Discovery.Status> e : discovered.entrySet()) {
            Discovery.Status s = e.getValue();
            g.writeStartObject();
            g.writeStringField("entry", e.getKey());
            g.writeStringField("query", s.query());
            g.writeNumberField("backends", s.backends().size());
            if (s.resolvedAtNanos() != Long.MIN_VALUE) {
                g.writeNumberField("lastResolvedAgoMs", (now - s.resolvedAtNanos()) / 1_000_000);
            }
            if (s.error() != null) {
                g.writeStringField("error", s.error());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeBackend(JsonGenerator g, BackendStatus s, Cluster cluster, Backend backend, long now)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("name", s.id());
        var address = cluster.upstreams().address(backend);
        if (address != null) {
            g.writeStringField("address", address.getHostString() + ":" + address.getPort());
        }
        g.writeNumberField("weight", s.weight());
        if (s.slowStartFactor() < 1) {
            g.writeNumberField("slowStartShare", s.slowStartFactor());
        }
        g.writeBooleanField("admitting", s.admitting());
        g.writeStringField("state", s.circuit().state().label());
        g.writeBooleanField("healthy", s.health().healthy());
        g.writeStringField("reason", BackendReason.of(s, backend.breaker().config().failureThreshold(), now));
        writeWhy(g, s.circuit(), s.health(), now);
        if (s.ejection() != null) {
            g.writeObjectFieldStart("ejected");
            g.writeStringField("reason", s.ejection().reason());
            g.writeNumberField("remainingMs", Math.max(0, (s.ejection().untilNanos() - now) / 1_000_000));
            g.writeNumberField("lengthMs", s.ejection().length().toMillis());
            g.writeEndObject();
        }
        g.writeNumberField("consecutiveFailures", s.circuit().consecutiveFailures());
        g.writeNumberField("timesOpened", s.circuit().timesOpened());
        g.writeNumberField("openRemainingMs", s.circuit().openRemaining().toMillis());
        g.writeNumberField("trialsAdmitted", s.circuit().trialsAdmitted());
        g.writeNumberField("rejected", s.circuit().rejected());
        g.writeNumberField("inFlight", s.inFlight());
        g.writeNumberField("succeeded", s.succeeded());
        g.writeNumberField("failed", s.failed());
        // Attempts that ended with a verdict on the backend; those that say nothing about it (the client went
        // away, a lost hedge, a timeout) are in neither count, as they are not on its breaker.
        g.writeNumberField("requestsTotal", s.succeeded() + s.failed());
        g.writeNumberField("failuresTotal", s.failed());
        writeLatencies(g, backend.latencies());
        g.writeNumberField("connections", cluster.upstreams().openConnections(backend));
        HealthStatus h = s.health();
        g.writeObjectFieldStart("lastCheck");
        if (h.lastResult() == null) {
            g.writeStringField("result", "none yet");
        } else {
            g.writeStringField("result", h.lastResult().healthy() ? "passed" : "failed");
            g.writeStringField("detail", h.lastResult().detail());
            g.writeNumberField("latencyMs", h.lastLatencyNanos() / 1e6);
            g.writeNumberField("agoMs", (now - h.lastCheckAtNanos()) / 1_000_000);
        }
        g.writeNumberField("consecutivePasses", h.consecutivePasses());
        g.writeNumberField("consecutiveFailures", h.consecutiveFailures());
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * The facts {@code reason} is made of: how the circuit got into its state and when, the kinds of its
     * current failures, and when the next trial and the next health check are due.
     */
    private static void writeWhy(JsonGenerator g, CircuitSnapshot c, HealthStatus h, long now) throws IOException {
        if (c.lastTransition() != null) {
            g.writeObjectFieldStart("lastTransition");
            g.writeStringField("name", c.lastTransition().name().toLowerCase(Locale.ROOT));
            g.writeStringField("from", c.lastTransition().from().label());
            g.writeStringField("to", c.lastTransition().to().label());
            g.writeNumberField("agoMs", c.sinceLastTransition().toMillis());
            g.writeEndObject();
        }
        g.writeObjectFieldStart("failureKinds");
        for (FailureCount k : c.failureKinds()) {
            g.writeNumberField(k.kind(), k.count());
        }
        g.writeEndObject();
        if (c.state() != CircuitState.CLOSED) {
            g.writeNumberField("nextTrialInMs", c.openRemaining().toMillis());
        }
        g.writeBooleanField("checkInFlight", h.checkInFlight());
        if (h.nextCheckAtNanos().isPresent()) {
            g.writeNumberField("nextCheckInMs", Math.max(0, (h.nextCheckAtNanos().getAsLong() - now) / 1_000_000));
        }
    }

    /** Answer times over the last one to two seconds (what slowness is judged on); zeros when there were none. */
    private static void writeLatencies(JsonGenerator g, RecentLatencies latencies) throws IOException {
        g.writeObjectFieldStart("latencyMs");
        g.writeNumberField("p50", roundedMillis(latencies.percentileNanos(0.5)));
        g.writeNumberField("p99", roundedMillis(latencies.percentileNanos(0.99)));
        g.writeNumberField("samples", latencies.count());
        g.writeEndObject();
    }

    /** To the hundredth of a millisecond: the percentiles are bucket edges about 9% apart anyway. */
    private static double roundedMillis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
