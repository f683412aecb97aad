package io.healthyproxy.http.internal;

/**
 * The limits an {@link Attempt} enforces by itself, given to it as a value by the exchange that launches it.
 *
 * @param headNanos how long to wait for the response head once the request has been sent (the per-try timeout)
 * @param idleNanos how long the backend may stay silent while sending the response body; time the attempt has
 *                  paused reading for a slow client does not count
 */
record AttemptLimits(long headNanos, long idleNanos) {
}
