package io.healthyproxy.app.config;

import io.healthyproxy.http.config.Http2Config;
import java.util.Optional;

/** {@code http2}: keys named as in {@link Http2Config}; missing ones take {@link Http2Config#DEFAULTS}. */
final class Http2Section {

    private Http2Section() {
    }

    static Optional<Http2Config> read(YamlMapping http2) {
        Http2Config d = Http2Config.DEFAULTS;
        boolean enabled = http2.readOr("enabled", YamlValue::bool, d.enabled());
        boolean cleartext = http2.readOr("cleartext", YamlValue::bool, d.cleartext());
        int maxConcurrentStreams = http2.readOr("maxConcurrentStreams", YamlValue::integer, d.maxConcurrentStreams());
        int initialWindowBytes = http2.readOr("initialWindowBytes", YamlValue::integer, d.initialWindowBytes());
        int maxFrameBytes = http2.readOr("maxFrameBytes", YamlValue::integer, d.maxFrameBytes());
        return http2.build(() -> new Http2Config(enabled, cleartext, maxConcurrentStreams, initialWindowBytes,
                maxFrameBytes));
    }
}
