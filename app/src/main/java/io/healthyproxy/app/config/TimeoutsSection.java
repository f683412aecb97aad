package io.healthyproxy.app.config;

import io.healthyproxy.http.config.Timeouts;
import java.time.Duration;
import java.util.Optional;

/** {@code timeouts}: durations named as in {@link Timeouts}; missing keys take {@link Timeouts#DEFAULTS}. */
final class TimeoutsSection {

    private TimeoutsSection() {
    }

    static Optional<Timeouts> read(YamlMapping timeouts) {
        Timeouts d = Timeouts.DEFAULTS;
        Duration connect = timeouts.readOr("connect", ConfigValues::duration, d.connect());
        Duration perTry = timeouts.readOr("perTry", ConfigValues::duration, d.perTry());
        Duration request = timeouts.readOr("request", ConfigValues::duration, d.request());
        Duration clientIdle = timeouts.readOr("clientIdle", ConfigValues::duration, d.clientIdle());
        Duration backendIdle = timeouts.readOr("backendIdle", ConfigValues::duration, d.backendIdle());
        Duration requestHeader = timeouts.readOr("requestHeader", ConfigValues::duration, d.requestHeader());
        Duration shutdownGrace = timeouts.readOr("shutdownGrace", ConfigValues::duration, d.shutdownGrace());
        return timeouts.build(() -> new Timeouts(connect, perTry, request, clientIdle, backendIdle, requestHeader,
                shutdownGrace));
    }
}
