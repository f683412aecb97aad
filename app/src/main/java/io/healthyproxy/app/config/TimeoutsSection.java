package io.healthyproxy.app.config;

import io.healthyproxy.http.config.Timeouts;
import java.util.Optional;

/** {@code timeouts}: durations named as in {@link Timeouts}; missing keys take {@link Timeouts#DEFAULTS}. */
final class TimeoutsSection {

    private TimeoutsSection() {
    }

    static Optional<Timeouts> read(YamlMapping timeouts) {
        Timeouts d = Timeouts.DEFAULTS;
        Timeouts.Builder b = Timeouts.builder()
                .connect(timeouts.readOr("connect", ConfigValues::duration, d.connect()))
                .perTry(timeouts.readOr("perTry", ConfigValues::duration, d.perTry()))
                .request(timeouts.readOr("request", ConfigValues::duration, d.request()))
                .responseIdle(timeouts.readOr("responseIdle", ConfigValues::duration, d.responseIdle()))
                .responseHold(timeouts.readOr("responseHold", ConfigValues::duration, d.responseHold()))
                .requestBodyIdle(timeouts.readOr("requestBodyIdle", ConfigValues::duration, d.requestBodyIdle()))
                .requestHeader(timeouts.readOr("requestHeader", ConfigValues::duration, d.requestHeader()))
                .clientIdle(timeouts.readOr("clientIdle", ConfigValues::duration, d.clientIdle()))
                .backendIdle(timeouts.readOr("backendIdle", ConfigValues::duration, d.backendIdle()))
                .tunnelIdle(timeouts.readOr("tunnelIdle", ConfigValues::duration, d.tunnelIdle()))
                .shutdownGrace(timeouts.readOr("shutdownGrace", ConfigValues::duration, d.shutdownGrace()));
        return timeouts.build(b::build);
    }
}
