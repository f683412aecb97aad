package io.healthyproxy.app.config;

/**
 * Where a section is written: at the top level (the defaults of every cluster), in a cluster, or in a route.
 * Some keys mean something only at some levels: a client connection's timeouts are known before any route is,
 * a cluster's connections and retry budget are shared by all its routes.
 */
enum Level {
    TOP_LEVEL("the top level"),
    CLUSTER("a cluster"),
    ROUTE("a route");

    private final String where;

    Level(String where) {
        this.where = where;
    }

    /** Reports, if the file has {@code key} here, that it belongs at {@code belongs} ({@code why}). */
    void refuse(YamlMapping section, String key, String belongs, String why) {
        section.get(key).ifPresent(value -> value.reject("not in " + where + " (expected: in " + belongs + " only: "
                + why + ")"));
    }
}
