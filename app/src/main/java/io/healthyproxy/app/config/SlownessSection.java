package io.healthyproxy.app.config;

import io.healthyproxy.core.SlownessConfig;
import java.util.Optional;

/** {@code slowness}: keys named as in {@link SlownessConfig}; missing ones keep those of the level above. */
final class SlownessSection {

    private SlownessSection() {
    }

    static Optional<SlownessConfig> read(YamlMapping slowness, SlownessConfig d) {
        SlownessConfig.Builder b = d.toBuilder();
        slowness.readInto("enabled", YamlValue::bool, b::enabled);
        slowness.readInto("interval", ConfigValues::duration, b::interval);
        slowness.readInto("window", ConfigValues::duration, b::window);
        slowness.readInto("minRequests", YamlValue::integer, b::minRequests);
        slowness.readInto("factor", YamlValue::number, b::factor);
        slowness.readInto("minExcess", ConfigValues::duration, b::minExcess);
        slowness.readInto("baseEjection", ConfigValues::duration, b::baseEjection);
        slowness.readInto("maxEjection", ConfigValues::duration, b::maxEjection);
        slowness.readInto("maxEjectedShare", YamlValue::number, b::maxEjectedShare);
        return slowness.build(b::build);
    }
}
