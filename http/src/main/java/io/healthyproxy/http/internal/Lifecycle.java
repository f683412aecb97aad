package io.healthyproxy.http.internal;

/**
 * A life cycle written as an enum whose constants list their legal next states ({@link ClientState},
 * {@link StreamState}): what {@link ChannelDownstream#moveTo} checks every move against.
 */
interface Lifecycle<S extends Enum<S>> {

    boolean canMoveTo(S next);
}
