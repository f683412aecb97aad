package io.healthyproxy.http.config;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.time.HumanDuration;
import java.time.Duration;

/**
 * The proxy's timeouts.
 *
 * @param connect       opening a connection to a backend (default 1 s)
 * @param perTry        one attempt, from sending the request to the response head (default 1 s); then it
 *                      fails and may be retried elsewhere
 * @param request       the whole request, every attempt included, to the response head (default 10 s)
 * @param clientIdle    an idle client keep-alive connection is closed after this (default 60 s)
 * @param backendIdle   an idle pooled backend connection is closed after this (default 30 s); keep it below
 *                      the backends' own keep-alive timeout, so the proxy closes first
 * @param requestHeader a client must send a request's head within this (default 10 s; slowloris gets 408)
 * @param shutdownGrace on SIGTERM, in-flight requests get this long to finish (default 10 s)
 */
public record Timeouts(Duration connect, Duration perTry, Duration request, Duration clientIdle,
        Duration backendIdle, Duration requestHeader, Duration shutdownGrace) {

    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(10));

    public Timeouts {
        Require.positive("timeouts.connect", connect);
        Require.positive("timeouts.perTry", perTry);
        Require.positive("timeouts.request", request);
        Require.positive("timeouts.clientIdle", clientIdle);
        Require.positive("timeouts.backendIdle", backendIdle);
        Require.positive("timeouts.requestHeader", requestHeader);
        Require.notNegative("timeouts.shutdownGrace", shutdownGrace);
        if (perTry.compareTo(request) > 0) {
            throw Require.invalid("timeouts.perTry", HumanDuration.format(perTry),
                    "<= timeouts.request " + HumanDuration.format(request));
        }
    }
}
