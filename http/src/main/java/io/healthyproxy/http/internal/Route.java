package io.healthyproxy.http.internal;

import io.healthyproxy.http.config.HeaderEdits;
import io.healthyproxy.http.config.PathRewrite;
import java.util.Map;
import java.util.Optional;

/**
 * Where a request goes, as the route table resolved it: the cluster, the rules its exchange follows (the
 * route's timeouts and retries over the cluster's), and what is changed on the way. {@link #NONE} takes
 * requests no route matched: their exchange answers a proxy-made 404 and no backend hears of them.
 * Immutable and thread-safe.
 */
final class Route {

    /** For requests no route takes. */
    static final Route NONE = new Route("none", null, null, Optional.empty(), HeaderEdits.NONE);

    private final String name;
    private final Cluster cluster;
    private final ExchangePolicy policy;
    private final Optional<PathRewrite> rewrite;
    private final HeaderEdits headers;

    Route(String name, Cluster cluster, ExchangePolicy policy, Optional<PathRewrite> rewrite, HeaderEdits headers) {
        this.name = name;
        this.cluster = cluster;
        this.policy = policy;
        this.rewrite = rewrite;
        this.headers = headers;
    }

    /** A route taking everything to {@code cluster} with its own rules (tests, the flat config form). */
    static Route to(Cluster cluster) {
        return new Route("default", cluster, cluster.policy(), Optional.empty(), HeaderEdits.NONE);
    }

    String name() {
        return name;
    }

    /** The cluster, or null for {@link #NONE}. */
    Cluster cluster() {
        return cluster;
    }

    ExchangePolicy policy() {
        return policy;
    }

    /**
     * Rewrites the request for its backend: the path, then the headers (remove, set, add); and, for a gRPC call,
     * says how its body is taken in. A method the cluster marks retryable is idempotent from here on (buffered,
     * retried, hedged); any other call of unknown length is streamed from its first byte: buffering it would
     * stall a bidirectional call whose client waits for an answer before sending more, and it could not be
     * repeated anyway once sent.
     */
    void applyTo(ProxiedRequest request) {
        rewrite.ifPresent(r -> request.rewriteTarget(r.apply(request.upstreamTarget())));
        if (request.isGrpc() && policy != null) {
            if (policy.grpc().isRetryable(request.upstreamTarget())) {
                request.markIdempotent();
            } else if (!request.isStreamed() && !request.hasLength()) {
                request.startStreaming();
            }
        }
        if (headers.isEmpty()) {
            return;
        }
        var h = request.upstreamHeaders();
        headers.remove().forEach(h::remove);
        for (Map.Entry<String, String> e : headers.set().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : headers.add().entrySet()) {
            h.add(e.getKey(), e.getValue());
        }
    }
}
