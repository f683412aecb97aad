package io.healthyproxy.app.config;

import io.healthyproxy.http.config.Timeouts;
import java.util.Optional;

/**
 * {@code timeouts}: durations named as in {@link Timeouts}; missing keys keep those of the level above (the
 * top level's keep {@link Timeouts#DEFAULTS}). A cluster sets {@code connect} and {@code backendIdle} (its
 * connections') and, as a route does, those of a response: {@code perTry}, {@code request},
 * {@code responseIdle}, {@code responseHold}, {@code tunnelIdle}. The others are the listener's.
 */
final class TimeoutsSection {

    private TimeoutsSection() {
    }

    static Optional<Timeouts> read(YamlMapping timeouts, Timeouts base, Level level) {
        if (level != Level.TOP_LEVEL) {
            String why = "a client connection's timeouts apply before any route is chosen";
            level.refuse(timeouts, "clientIdle", "the top level", why);
            level.refuse(timeouts, "requestHeader", "the top level", why);
            level.refuse(timeouts, "requestBodyIdle", "the top level", why);
            level.refuse(timeouts, "shutdownGrace", "the top level", "the proxy drains as a whole");
        }
        if (level == Level.ROUTE) {
            String why = "a cluster's connections are shared by all its routes";
            level.refuse(timeouts, "connect", "the top level or a cluster", why);
            level.refuse(timeouts, "backendIdle", "the top level or a cluster", why);
        }
        Timeouts.Builder b = Timeouts.builder()
                .connect(timeouts.readOr("connect", ConfigValues::duration, base.connect()))
                .perTry(timeouts.readOr("perTry", ConfigValues::duration, base.perTry()))
                .request(timeouts.readOr("request", ConfigValues::duration, base.request()))
                .responseIdle(timeouts.readOr("responseIdle", ConfigValues::duration, base.responseIdle()))
                .responseHold(timeouts.readOr("responseHold", ConfigValues::duration, base.responseHold()))
                .requestBodyIdle(timeouts.readOr("requestBodyIdle", ConfigValues::duration, base.requestBodyIdle()))
                .requestHeader(timeouts.readOr("requestHeader", ConfigValues::duration, base.requestHeader()))
                .clientIdle(timeouts.readOr("clientIdle", ConfigValues::duration, base.clientIdle()))
                .backendIdle(timeouts.readOr("backendIdle", ConfigValues::duration, base.backendIdle()))
                .tunnelIdle(timeouts.readOr("tunnelIdle", ConfigValues::duration, base.tunnelIdle()))
                .shutdownGrace(timeouts.readOr("shutdownGrace", ConfigValues::duration, base.shutdownGrace()));
        return timeouts.build(b::build);
    }
}
