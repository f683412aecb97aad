package io.healthyproxy.app.config;

import io.healthyproxy.http.config.Limits;
import java.util.Optional;

/** {@code limits}: sizes in bytes and counts, named as in {@link Limits}; missing keys take {@link Limits#DEFAULTS}. */
final class LimitsSection {

    private LimitsSection() {
    }

    static Optional<Limits> read(YamlMapping limits) {
        Limits d = Limits.DEFAULTS;
        int maxRequestLine = limits.readOr("maxRequestLine", YamlValue::integer, d.maxRequestLine());
        int maxHeaderBytes = limits.readOr("maxHeaderBytes", YamlValue::integer, d.maxHeaderBytes());
        int maxHeaders = limits.readOr("maxHeaders", YamlValue::integer, d.maxHeaders());
        long maxBodyBytes = limits.readOr("maxBodyBytes", YamlValue::longInteger, d.maxBodyBytes());
        int maxBufferedBodyBytes = limits.readOr("maxBufferedBodyBytes", YamlValue::integer, d.maxBufferedBodyBytes());
        int maxBufferedResponseBytes = limits.readOr("maxBufferedResponseBytes", YamlValue::integer,
                d.maxBufferedResponseBytes());
        int maxClientConnections = limits.readOr("maxClientConnections", YamlValue::integer, d.maxClientConnections());
        return limits.build(() -> new Limits(maxRequestLine, maxHeaderBytes, maxHeaders, maxBodyBytes,
                maxBufferedBodyBytes, maxBufferedResponseBytes, maxClientConnections));
    }
}
