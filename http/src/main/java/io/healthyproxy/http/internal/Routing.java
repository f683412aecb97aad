package io.healthyproxy.http.internal;

import io.healthyproxy.http.routing.RouteTable;
import java.util.List;

/**
 * One whole configuration as the request path sees it: the clusters, and the route table that sends each
 * request to one of them. Immutable; a reload replaces it whole, so each request, which reads it once when it
 * is routed, sees one config — never half of an old one and half of a new one.
 */
record Routing(List<Cluster> clusters, RouteTable<Route> routes) {

    Routing {
        clusters = List.copyOf(clusters);
    }
}
