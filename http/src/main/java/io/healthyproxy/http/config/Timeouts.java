package io.healthyproxy.http.config;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.time.HumanDuration;
import java.time.Duration;
import java.util.Objects;

/**
 * The proxy's timeouts. Each limits one thing, so that a slow answer, a streaming answer and a dead backend
 * are told apart: waiting for a response head is {@code perTry} (per try) and {@code request} (all tries),
 * silence in the middle of a response is {@code responseIdle}, and none of them limits how long a response
 * may take as a whole (server-sent events, long downloads). The defaults are in the range HAProxy, NGINX and
 * Envoy use for the same things; fast failover against a frozen backend comes from hedging and health, not
 * from a short head timeout. Build with {@link #builder()}; {@link Builder#build()} checks every field.
 *
 * @param connect         opening a connection to a backend (default 5 s, as Envoy's {@code connect_timeout} and
 *                        HAProxy's usual {@code timeout connect})
 * @param perTry          one try, from the request being sent to the response head (default 30 s, as HAProxy's
 *                        usual {@code timeout server}); then it fails and may be retried elsewhere
 * @param request         every try of a request together, until a response head is relayed (default 60 s)
 * @param responseIdle    a backend silent this long in the middle of a response body is given up on (default
 *                        60 s, as NGINX's {@code proxy_read_timeout}); time spent waiting for a slow client does
 *                        not count
 * @param responseHold    a small response to a request that could be retried is held until complete (so a
 *                        backend breaking off costs a retry, not a broken answer), but never longer than this:
 *                        then it is relayed as it comes (default 200 ms)
 * @param requestBodyIdle a client silent this long in the middle of a request body gets 408 (default 30 s;
 *                        NGINX's {@code client_body_timeout} is 60 s)
 * @param requestHeader   a client must send a request's head within this of its first byte (default 10 s;
 *                        slowloris gets 408)
 * @param clientIdle      an idle client keep-alive connection is closed after this, and a client that takes
 *                        nothing of a response for this long is dropped (default 60 s)
 * @param backendIdle     an idle pooled backend connection is closed after this (default 30 s); keep it below
 *                        the backends' own keep-alive timeout, so the proxy closes first
 * @param tunnelIdle      an upgraded connection (WebSocket) with no traffic either way is closed after this
 *                        (default 1 h, as HAProxy's usual {@code timeout tunnel})
 * @param shutdownGrace   on SIGTERM, requests under way get this long to finish (default 10 s)
 */
public record Timeouts(Duration connect, Duration perTry, Duration request, Duration responseIdle,
        Duration responseHold, Duration requestBodyIdle, Duration requestHeader, Duration clientIdle,
        Duration backendIdle, Duration tunnelIdle, Duration shutdownGrace) {

    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_PER_TRY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RESPONSE_IDLE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RESPONSE_HOLD = Duration.ofMillis(200);
    public static final Duration DEFAULT_REQUEST_BODY_IDLE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_HEADER = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CLIENT_IDLE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_BACKEND_IDLE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TUNNEL_IDLE = Duration.ofHours(1);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    public static final Timeouts DEFAULTS = builder().build();

    public Timeouts {
        Require.positive("timeouts.connect", connect);
        Require.positive("timeouts.perTry", perTry);
        Require.positive("timeouts.request", request);
        Require.positive("timeouts.responseIdle", responseIdle);
        Require.notNegative("timeouts.responseHold", responseHold);
        Require.positive("timeouts.requestBodyIdle", requestBodyIdle);
        Require.positive("timeouts.requestHeader", requestHeader);
        Require.positive("timeouts.clientIdle", clientIdle);
        Require.positive("timeouts.backendIdle", backendIdle);
        Require.positive("timeouts.tunnelIdle", tunnelIdle);
        Require.notNegative("timeouts.shutdownGrace", shutdownGrace);
        if (perTry.compareTo(request) > 0) {
            throw Require.invalid("timeouts.perTry", HumanDuration.format(perTry),
                    "<= timeouts.request " + HumanDuration.format(request));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().connect(connect).perTry(perTry).request(request).responseIdle(responseIdle)
                .responseHold(responseHold).requestBodyIdle(requestBodyIdle).requestHeader(requestHeader)
                .clientIdle(clientIdle).backendIdle(backendIdle).tunnelIdle(tunnelIdle).shutdownGrace(shutdownGrace);
    }

    /** Builds {@link Timeouts} from the defaults; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private Duration connect = DEFAULT_CONNECT;
        private Duration perTry = DEFAULT_PER_TRY;
        private Duration request = DEFAULT_REQUEST;
        private Duration responseIdle = DEFAULT_RESPONSE_IDLE;
        private Duration responseHold = DEFAULT_RESPONSE_HOLD;
        private Duration requestBodyIdle = DEFAULT_REQUEST_BODY_IDLE;
        private Duration requestHeader = DEFAULT_REQUEST_HEADER;
        private Duration clientIdle = DEFAULT_CLIENT_IDLE;
        private Duration backendIdle = DEFAULT_BACKEND_IDLE;
        private Duration tunnelIdle = DEFAULT_TUNNEL_IDLE;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

        private Builder() {
        }

        public Builder connect(Duration connect) {
            this.connect = Objects.requireNonNull(connect, "timeouts.connect");
            return this;
        }

        public Builder perTry(Duration perTry) {
            this.perTry = Objects.requireNonNull(perTry, "timeouts.perTry");
            return this;
        }

        public Builder request(Duration request) {
            this.request = Objects.requireNonNull(request, "timeouts.request");
            return this;
        }

        public Builder responseIdle(Duration responseIdle) {
            this.responseIdle = Objects.requireNonNull(responseIdle, "timeouts.responseIdle");
            return this;
        }

        public Builder responseHold(Duration responseHold) {
            this.responseHold = Objects.requireNonNull(responseHold, "timeouts.responseHold");
            return this;
        }

        public Builder requestBodyIdle(Duration requestBodyIdle) {
            this.requestBodyIdle = Objects.requireNonNull(requestBodyIdle, "timeouts.requestBodyIdle");
            return this;
        }

        public Builder requestHeader(Duration requestHeader) {
            this.requestHeader = Objects.requireNonNull(requestHeader, "timeouts.requestHeader");
            return this;
        }

        public Builder clientIdle(Duration clientIdle) {
            this.clientIdle = Objects.requireNonNull(clientIdle, "timeouts.clientIdle");
            return this;
        }

        public Builder backendIdle(Duration backendIdle) {
            this.backendIdle = Objects.requireNonNull(backendIdle, "timeouts.backendIdle");
            return this;
        }

        public Builder tunnelIdle(Duration tunnelIdle) {
            this.tunnelIdle = Objects.requireNonNull(tunnelIdle, "timeouts.tunnelIdle");
            return this;
        }

        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "timeouts.shutdownGrace");
            return this;
        }

        public Timeouts build() {
            return new Timeouts(connect, perTry, request, responseIdle, responseHold, requestBodyIdle,
                    requestHeader, clientIdle, backendIdle, tunnelIdle, shutdownGrace);
        }
    }
}
