package io.healthyproxy.client.http;

import io.healthyproxy.client.BackendCaller;
import io.healthyproxy.client.Classifier;
import io.healthyproxy.client.Verdict;
import io.healthyproxy.core.BackendGroup;
import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.SlownessConfig;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.CircuitBreakerListener;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.HealthListener;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * The JDK's {@link HttpClient} in front of a set of backends that serve one service: each request goes to a
 * backend that admits traffic, with the HTTP proxy's breakers, active HTTP health checks, retries within a
 * retry budget and hedging, and the proxy's defaults. A {@link BackendCaller} of base URIs underneath.
 *
 * <pre>{@code
 * HealthyHttpClient users = HealthyHttpClient.builder()
 *         .backend(URI.create("http://10.0.0.5:8080")).backend(URI.create("http://10.0.0.6:8080"))
 *         .build();
 * HttpResponse<String> r = users.send(ServiceRequest.get("/users/42"), BodyHandlers.ofString());
 * r.uri();                                // which backend answered
 * }</pre>
 *
 * <h2>What counts, what is retried (as in the proxy)</h2>
 * <ul>
 *   <li>A status in {@code failureStatuses} (502, 503, 504) counts against its backend, and an idempotent
 *       request (RFC 9110: GET, HEAD, OPTIONS, TRACE, PUT, DELETE) is retried on another backend; with no
 *       further try, that response is the answer. Every other status is the backend's answer and counts for it:
 *       a 500 is passed back as it is (the proxy gets a second opinion on it first; the client does not).</li>
 *   <li>An I/O error counts against the backend; an idempotent request is retried, and any request is retried
 *       when the connection could not be made (nothing was sent), without a budget place.</li>
 *   <li>A try with no response head after the per-try timeout (30 s) is called off, counts on no breaker, and is
 *       retried like a failure; an idempotent request unanswered after the hedge delay gets one copy on another
 *       backend.</li>
 *   <li>No backend admits traffic: {@link io.healthyproxy.client.NoBackendException}, at once.</li>
 * </ul>
 * Health checks: {@code GET /health} every 2 s (1 s while unhealthy), passing on 2xx, rise 2, fall 3; off
 * with {@link Builder#noHealthCheck()}.
 *
 * <p>Thread-safe.
 */
public final class HealthyHttpClient implements AutoCloseable {

    /** The statuses that count against a backend and make an idempotent request worth retrying: 502, 503, 504. */
    public static final Set<Integer> DEFAULT_FAILURE_STATUSES = Set.of(502, 503, 504);
    /** The health check's path: {@value}, the proxy's. */
    public static final String DEFAULT_HEALTH_PATH = "/health";
    /** How long a connection may take to open: 5 s, the proxy's {@code timeouts.connect}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final BackendCaller<URI> caller;
    private final Classifier<HttpResponse<?>> classifier;

    private HealthyHttpClient(HttpClient http, BackendCaller<URI> caller, Set<Integer> failureStatuses) {
        this.http = http;
        this.caller = caller;
        this.classifier = (response, error) -> {
            if (error == null) {
                return failureStatuses.contains(response.statusCode()) ? Verdict.FAILURE : Verdict.SUCCESS;
            }
            return error instanceof IOException && !(error instanceof InterruptedIOException)
                    ? Verdict.FAILURE : Verdict.NEUTRAL;
        };
    }

    /** @return a builder with the proxy's defaults and no backends */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends {@code request} to the service, waiting for the answer.
     *
     * @param <B>     the body type
     * @param request what to send
     * @param handler how to read the response body
     * @return the response of the backend whose answer decided ({@link HttpResponse#uri()} says which)
     * @throws IOException          the last try's I/O error, or {@link java.net.http.HttpTimeoutException} when it
     *                              timed out
     * @throws InterruptedException if the thread was interrupted while waiting
     * @throws io.healthyproxy.client.NoBackendException when no backend admits traffic
     */
    public <B> HttpResponse<B> send(ServiceRequest request, BodyHandler<B> handler)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<B>> future = sendAsync(request, handler);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof TimeoutException timeout) {
                throw new java.net.http.HttpTimeoutException(timeout.getMessage());
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /**
     * Sends {@code request} to the service.
     *
     * @param <B>     the body type
     * @param request what to send
     * @param handler how to read the response body
     * @return the response of the backend whose answer decided, or the error (see {@link #send})
     */
    public <B> CompletableFuture<HttpResponse<B>> sendAsync(ServiceRequest request, BodyHandler<B> handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        return caller.call(base -> http.sendAsync(request.toHttpRequest(base), handler), classifier,
                request.isIdempotent());
    }

    /** @return the backends: each one's breaker, health and status (an id is its base URI) */
    public BackendGroup group() {
        return caller.group();
    }

    /** @return the caller underneath, for its retry budget */
    public BackendCaller<URI> caller() {
        return caller;
    }

    /** Stops the health checks (the {@link HttpClient} is left to the JDK, or to whoever gave it). */
    @Override
    public void close() {
        caller.close();
    }

    /** Builds a {@link HealthyHttpClient}; each setter checks its value. Not thread-safe. */
    public static final class Builder {
        private final BackendCaller.Builder<URI> caller = BackendCaller.builder();
        private HttpClient http;
        private Set<Integer> failureStatuses = DEFAULT_FAILURE_STATUSES;
        private String healthPath = DEFAULT_HEALTH_PATH;
        private HealthCheckConfig healthCheck = HealthCheckConfig.defaults();
        private boolean backends;

        private Builder() {
            caller.notSent(error -> error instanceof ConnectException || error instanceof HttpConnectTimeoutException);
            caller.discard(response -> {
                if (response instanceof HttpResponse<?> r && r.body() instanceof AutoCloseable body) {
                    try {
                        body.close();
                    } catch (Exception ignored) {
                        // A response nobody will read.
                    }
                }
            });
        }

        /**
         * Adds a backend of weight 1, named by its base URI.
         *
         * @param base e.g. {@code http://10.0.0.5:8080}; each request's path is resolved against it
         * @return this builder
         */
        public Builder backend(URI base) {
            return backend(base, 1);
        }

        /**
         * Adds a backend, named by its base URI.
         *
         * @param base   its base URI, {@code http} or {@code https}
         * @param weight its share relative to the others: 1..1000
         * @return this builder
         */
        public Builder backend(URI base, int weight) {
            Objects.requireNonNull(base, "base");
            if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
                throw Require.invalid("backend", base, "an http or https URI with a host");
            }
            caller.backend(base.toString(), base, weight);
            backends = true;
            return this;
        }

        /**
         * @param http the client to send with (default: a new one, HTTP/1.1 and h2, 5 s connect timeout)
         * @return this builder
         */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /**
         * @param statuses statuses that count against their backend and make an idempotent request worth
         *                 retrying (default 502, 503, 504)
         * @return this builder
         */
        public Builder failureStatuses(Set<Integer> statuses) {
            for (int status : statuses) {
                Require.inRange("failureStatuses", status, 100, 599);
            }
            this.failureStatuses = Set.copyOf(statuses);
            return this;
        }

        /**
         * @param path   the health check's path (default {@value #DEFAULT_HEALTH_PATH}); a 2xx passes
         * @param config its schedule and thresholds (default {@link HealthCheckConfig#defaults()})
         * @return this builder
         */
        public Builder healthCheck(String path, HealthCheckConfig config) {
            if (!Objects.requireNonNull(path, "path").startsWith("/")) {
                throw Require.invalid("healthCheck.path", path, "a path starting with /");
            }
            this.healthPath = path;
            this.healthCheck = Objects.requireNonNull(config, "config");
            return this;
        }

        /** @return this builder, with no active health checks (the breakers still judge real requests) */
        public Builder noHealthCheck() {
            this.healthPath = null;
            return this;
        }

        /**
         * @param balancing how a backend is chosen (default round robin)
         * @return this builder
         */
        public Builder balancing(Balancing balancing) {
            caller.balancing(balancing);
            return this;
        }

        /**
         * @param whenNoneAdmits when no backend admits traffic (default {@link NoBackendPolicy#LAST_RESORT})
         * @return this builder
         */
        public Builder whenNoneAdmits(NoBackendPolicy whenNoneAdmits) {
            caller.whenNoneAdmits(whenNoneAdmits);
            return this;
        }

        /**
         * @param breaker each backend's breaker (default {@link BackendGroup#DEFAULT_BREAKER})
         * @return this builder
         */
        public Builder breaker(CircuitBreakerConfig breaker) {
            caller.breaker(breaker);
            return this;
        }

        /**
         * @param slowness when a backend is ejected for being far slower than the others (default on)
         * @return this builder
         */
        public Builder slowness(SlownessConfig slowness) {
            caller.slowness(slowness);
            return this;
        }

        /**
         * @param maxAttempts tries per request, the first included (default 3)
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            caller.maxAttempts(maxAttempts);
            return this;
        }

        /**
         * @param perTry how long a try may wait for its response (default 30 s)
         * @return this builder
         */
        public Builder perTryTimeout(Duration perTry) {
            caller.perTryTimeout(perTry);
            return this;
        }

        /**
         * @param hedging whether idempotent requests are hedged (default true)
         * @return this builder
         */
        public Builder hedging(boolean hedging) {
            caller.hedging(hedging);
            return this;
        }

        /**
         * @param delay a fixed hedge delay instead of the adaptive one
         * @return this builder
         */
        public Builder hedgeDelay(Duration delay) {
            caller.hedgeDelay(delay);
            return this;
        }

        /**
         * @param scheduler where timeouts, hedges and checks run (default: a daemon thread of the client's own)
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            caller.scheduler(scheduler);
            return this;
        }

        /**
         * @param ticker the clock (default {@link Ticker#system()})
         * @return this builder
         */
        public Builder ticker(Ticker ticker) {
            caller.ticker(ticker);
            return this;
        }

        /**
         * @param random jitter and balancing randomness (default thread-local)
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            caller.random(random);
            return this;
        }

        /**
         * @param listener told of every backend's circuit transitions
         * @return this builder
         */
        public Builder circuitListener(CircuitBreakerListener listener) {
            caller.circuitListener(listener);
            return this;
        }

        /**
         * @param listener told of every backend's health flips
         * @return this builder
         */
        public Builder healthListener(HealthListener listener) {
            caller.healthListener(listener);
            return this;
        }

        /**
         * @return the client, its health checks started
         * @throws IllegalArgumentException if there is no backend
         */
        public HealthyHttpClient build() {
            if (!backends) {
                throw Require.invalid("backends", "[]", "at least one backend");
            }
            HttpClient client = http != null ? http
                    : HttpClient.newBuilder().connectTimeout(DEFAULT_CONNECT_TIMEOUT).build();
            if (healthPath != null) {
                String path = healthPath;
                caller.healthCheck(healthCheck, (base, timeout) -> probe(client, base.resolve(path), timeout));
            }
            return new HealthyHttpClient(client, caller.build(), failureStatuses);
        }

        private static CompletableFuture<ProbeResult> probe(HttpClient client, URI uri, Duration timeout) {
            HttpRequest check = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("User-Agent", "healthy-proxy-health-check").GET().build();
            return client.sendAsync(check, BodyHandlers.discarding()).handle((response, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof CancellationException) {
                        throw new CompletionException(cause);
                    }
                    String message = cause.getMessage();
                    return ProbeResult.failed(message == null ? cause.getClass().getSimpleName() : message);
                }
                int status = response.statusCode();
                return status >= 200 && status < 300 ? ProbeResult.passed(String.valueOf(status))
                        : ProbeResult.failed(String.valueOf(status));
            });
        }
    }

}
