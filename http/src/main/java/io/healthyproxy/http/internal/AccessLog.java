package io.healthyproxy.http.internal;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request to the {@code healthyproxy.access} logger, when enabled:
 * {@code 127.0.0.1 "GET /path HTTP/1.1" 200 1234B 3.2ms backend=api-1 attempts=1}.
 */
final class AccessLog implements ProxyEvents {

    private static final Logger LOG = LoggerFactory.getLogger("healthyproxy.access");

    @Override
    public void requestCompleted(ProxiedRequest request, int status, String proxyError, String backend, int attempts,
            long durationNanos, long responseBytes) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String what = request == null ? "(refused)" : request.clientAddress() + " \"" + request.method() + " "
                + request.uri() + " " + request.clientVersion() + "\"";
        LOG.info(String.format(Locale.ROOT, "%s %d %dB %.1fms backend=%s attempts=%d%s", what, status, responseBytes,
                durationNanos / 1e6, backend == null ? "-" : backend, attempts,
                proxyError == null ? "" : " error=" + proxyError));
    }
}
