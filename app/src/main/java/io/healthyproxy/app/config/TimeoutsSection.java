package io.healthyproxy.app.config;

import io.healthyproxy.http.config.Timeouts;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code timeouts}: durations named as in {@link Timeouts}; missing keys keep those of the level above (the
 * top level's keep {@link Timeouts#DEFAULTS}). A cluster sets {@code connect}, {@code perTry}, {@code request}
 * and {@code backendIdle}; a route {@code perTry} and {@code request}. The others are the listener's.
 */
final class TimeoutsSection {

    private TimeoutsSection() {
    }

    static Optional<Timeouts> read(YamlMapping timeouts, Timeouts base, Level level) {
        if (level != Level.TOP_LEVEL) {
            String why = "a client connection's timeouts apply before any route is chosen";
            level.refuse(timeouts, "clientIdle", "the top level", why);
            level.refuse(timeouts, "requestHeader", "the top level", why);
            level.refuse(timeouts, "shutdownGrace", "the top level", "the proxy drains as a whole");
        }
        if (level == Level.ROUTE) {
            String why = "a cluster's connections are shared by all its routes";
            level.refuse(timeouts, "connect", "the top level or a cluster", why);
            level.refuse(timeouts, "backendIdle", "the top level or a cluster", why);
        }
        Duration connect = timeouts.readOr("connect", ConfigValues::duration, base.connect());
        Duration perTry = timeouts.readOr("perTry", ConfigValues::duration, base.perTry());
        Duration request = timeouts.readOr("request", ConfigValues::duration, base.request());
        Duration clientIdle = timeouts.readOr("clientIdle", ConfigValues::duration, base.clientIdle());
        Duration backendIdle = timeouts.readOr("backendIdle", ConfigValues::duration, base.backendIdle());
        Duration requestHeader = timeouts.readOr("requestHeader", ConfigValues::duration, base.requestHeader());
        Duration shutdownGrace = timeouts.readOr("shutdownGrace", ConfigValues::duration, base.shutdownGrace());
        return timeouts.build(() -> new Timeouts(connect, perTry, request, clientIdle, backendIdle, requestHeader,
                shutdownGrace));
    }
}
