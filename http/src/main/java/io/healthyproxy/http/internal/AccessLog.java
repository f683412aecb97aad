package io.healthyproxy.http.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per request to the {@code healthyproxy.access} logger, when enabled. The message is for people:
 * <pre>
 * 127.0.0.1 "GET /path HTTP/1.1" 200 1234B 3.2ms cluster=api route=v1 backend=api-1 attempts=1 requestId=4bf9…
 * </pre>
 * and the same facts go with it as SLF4J key-value pairs, which a structured encoder ({@code serve --log-format
 * json}) writes as fields: {@code method}, {@code path} (the target as the client sent it), {@code protocol}
 * ({@code HTTP/1.1}, {@code HTTP/1.0}, {@code HTTP/2}), {@code status} (0 when the connection closed without
 * one), {@code cluster}, {@code route}, {@code backend} (the one that answered), {@code attempts},
 * {@code durationMs}, {@code bytes} (of the response body), {@code client} (its address), {@code requestId},
 * and {@code error} for a proxy-made answer. A field with nothing to say is left out (no backend answered a
 * 503 the proxy made). A request refused before it was read whole has only {@code status} and {@code error}.
 */
final class AccessLog implements ProxyEvents {

    private static final Logger LOG = LoggerFactory.getLogger("healthyproxy.access");

    @Override
    public void requestCompleted(ProxiedRequest request, int status, String proxyError, String backend, int attempts,
            long durationNanos, long responseBytes) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        LoggingEventBuilder event = LOG.atInfo();
        StringBuilder line = new StringBuilder(160);
        if (request == null) {
            event.addKeyValue("status", status);
            line.append("(refused) ").append(status);
        } else {
            Route route = request.route();
            String cluster = route == null || route.cluster() == null ? null : route.cluster().name();
            event.addKeyValue("method", request.method().name())
                    .addKeyValue("path", request.uri())
                    .addKeyValue("protocol", request.protocol())
                    .addKeyValue("status", status);
            line.append(request.clientAddress()).append(" \"").append(request.method()).append(' ')
                    .append(request.uri()).append(' ').append(request.protocol()).append("\" ").append(status)
                    .append(' ').append(responseBytes).append("B ").append(Math.round(durationNanos / 1e5) / 10.0)
                    .append("ms");
            field(event, line, "cluster", cluster);
            field(event, line, "route", route == null ? null : route.name());
            field(event, line, "backend", backend);
            field(event, line, "attempts", attempts);
            event.addKeyValue("durationMs", Math.round(durationNanos / 1e3) / 1e3)
                    .addKeyValue("bytes", responseBytes)
                    .addKeyValue("client", request.clientAddress());
            field(event, line, "requestId", request.requestId());
        }
        field(event, line, "error", proxyError);
        event.setMessage(line.toString()).log();
    }

    /** {@code name=value} on the line and as a field; nothing when {@code value} is null. */
    private static void field(LoggingEventBuilder event, StringBuilder line, String name, Object value) {
        if (value != null) {
            line.append(' ').append(name).append('=').append(value);
            event.addKeyValue(name, value);
        }
    }
}
