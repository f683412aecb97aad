package io.healthyproxy.app.config;

import io.healthyproxy.core.SlownessConfig;
import java.time.Duration;
import java.util.Optional;

/** {@code slowness}: keys named as in {@link SlownessConfig}; missing ones keep those of the level above. */
final class SlownessSection {

    private SlownessSection() {
    }

    static Optional<SlownessConfig> read(YamlMapping slowness, SlownessConfig d) {
        boolean enabled = slowness.readOr("enabled", YamlValue::bool, d.enabled());
        Duration interval = slowness.readOr("interval", ConfigValues::duration, d.interval());
        Duration window = slowness.readOr("window", ConfigValues::duration, d.window());
        int minRequests = slowness.readOr("minRequests", YamlValue::integer, d.minRequests());
        double factor = slowness.readOr("factor", YamlValue::number, d.factor());
        Duration minExcess = slowness.readOr("minExcess", ConfigValues::duration, d.minExcess());
        Duration baseEjection = slowness.readOr("baseEjection", ConfigValues::duration, d.baseEjection());
        Duration maxEjection = slowness.readOr("maxEjection", ConfigValues::duration, d.maxEjection());
        double maxEjectedShare = slowness.readOr("maxEjectedShare", YamlValue::number, d.maxEjectedShare());
        return slowness.build(() -> new SlownessConfig(enabled, interval, window, minRequests, factor, minExcess,
                baseEjection, maxEjection, maxEjectedShare));
    }
}
