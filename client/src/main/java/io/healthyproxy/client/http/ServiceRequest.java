package io.healthyproxy.client.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A request to "the service" rather than to one server: a method, a path (with its query) relative to each
 * backend's base URI, headers and a body publisher. {@link HealthyHttpClient} turns it into one
 * {@link HttpRequest} per try, so the body publisher must be able to publish more than once (those of
 * {@link BodyPublishers} can, except {@code ofInputStream}) if the request may be retried.
 *
 * <pre>{@code
 * ServiceRequest get = ServiceRequest.get("/users/42");
 * ServiceRequest put = ServiceRequest.builder("/users/42").PUT(BodyPublishers.ofString(json))
 *         .header("Content-Type", "application/json").build();
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ServiceRequest {

    /** The methods RFC 9110 (section 9.2.2) calls idempotent: such a request may be retried and hedged. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private final String method;
    private final String path;
    private final List<String> headers;
    private final BodyPublisher body;
    private final Duration timeout;

    private ServiceRequest(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.headers = List.copyOf(b.headers);
        this.body = b.body;
        this.timeout = b.timeout;
    }

    /**
     * @param path the path and query, e.g. {@code /users/42?fields=name}
     * @return a GET of it
     */
    public static ServiceRequest get(String path) {
        return builder(path).build();
    }

    /**
     * @param path the path and query, starting with {@code /}
     * @return a builder of a GET of it, to change as needed
     */
    public static Builder builder(String path) {
        return new Builder(path);
    }

    /** @return the method, upper case */
    public String method() {
        return method;
    }

    /** @return the path and query */
    public String path() {
        return path;
    }

    /** @return whether the method is idempotent (RFC 9110), so that the request may be sent more than once */
    public boolean isIdempotent() {
        return IDEMPOTENT.contains(method);
    }

    /**
     * The request for one try on the backend at {@code base}.
     *
     * @param base the backend's base URI, e.g. {@code http://10.0.0.5:8080}
     * @return the request
     */
    HttpRequest toHttpRequest(URI base) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method, body);
        for (int i = 0; i < headers.size(); i += 2) {
            b.header(headers.get(i), headers.get(i + 1));
        }
        if (timeout != null) {
            b.timeout(timeout);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return method + " " + path;
    }

    /** Builds a {@link ServiceRequest}. Not thread-safe. */
    public static final class Builder {
        private final String path;
        private String method = "GET";
        private BodyPublisher body = BodyPublishers.noBody();
        private final List<String> headers = new ArrayList<>();
        private Duration timeout;

        private Builder(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path: " + path + " (expected: a path starting with /)");
            }
            this.path = path;
        }

        /**
         * @param method the method, e.g. {@code POST}
         * @param body   the body
         * @return this builder
         */
        public Builder method(String method, BodyPublisher body) {
            this.method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        /**
         * @param body the body
         * @return this builder, for a POST (not idempotent: sent once, unless no backend was reached)
         */
        public Builder POST(BodyPublisher body) {
            return method("POST", body);
        }

        /**
         * @param body the body
         * @return this builder, for a PUT (idempotent)
         */
        public Builder PUT(BodyPublisher body) {
            return method("PUT", body);
        }

        /**
         * @return this builder, for a DELETE (idempotent)
         */
        public Builder DELETE() {
            return method("DELETE", BodyPublishers.noBody());
        }

        /**
         * @param name  a header name (not one the JDK's client sets itself, such as {@code Host})
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.add(Objects.requireNonNull(name, "name"));
            headers.add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param timeout the JDK client's own timeout for each try's response head (the caller's per-try timeout
         *                applies anyway)
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** @return the request */
        public ServiceRequest build() {
            return new ServiceRequest(this);
        }
    }
}
