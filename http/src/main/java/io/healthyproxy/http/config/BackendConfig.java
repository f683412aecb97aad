package io.healthyproxy.http.config;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.internal.Require;
import java.util.Objects;

/**
 * One backend server.
 *
 * @param name    names it in logs, status and metrics (default: its address); unique within its cluster
 * @param address where it listens
 * @param weight  its share of its cluster's traffic relative to the others (default 1; 1..1000): a backend of
 *                weight 2 gets twice the requests of one of weight 1, as NGINX's and HAProxy's {@code weight}
 */
public record BackendConfig(String name, Endpoint address, int weight) {

    public BackendConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (name.isBlank()) {
            throw Require.invalid("name", "''", "a name, or no name at all to be named by the address");
        }
        Require.inRange("weight", weight, 1, Backend.MAX_WEIGHT);
    }

    /** A backend of weight 1. */
    public BackendConfig(String name, Endpoint address) {
        this(name, address, Backend.DEFAULT_WEIGHT);
    }

    public static BackendConfig of(Endpoint address) {
        return new BackendConfig(address.toString(), address);
    }

    public static BackendConfig of(String hostPort) {
        return of(Endpoint.parse(hostPort));
    }

    public BackendConfig withWeight(int weight) {
        return new BackendConfig(name, address, weight);
    }
}
