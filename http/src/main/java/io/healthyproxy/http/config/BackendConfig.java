package io.healthyproxy.http.config;

import java.util.Objects;

/**
 * One backend server.
 *
 * @param name    names it in logs, status and metrics (default: its address)
 * @param address where it listens
 */
public record BackendConfig(String name, Endpoint address) {

    public BackendConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    public static BackendConfig of(Endpoint address) {
        return new BackendConfig(address.toString(), address);
    }

    public static BackendConfig of(String hostPort) {
        return of(Endpoint.parse(hostPort));
    }
}
