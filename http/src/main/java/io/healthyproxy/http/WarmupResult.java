package io.healthyproxy.http;

import java.time.Duration;

/**
 * What {@link HttpProxy#warmUp} did: how many requests went through the warm-up's proxy and were answered,
 * how many of them with 200 (all, unless the machine is too loaded to answer within the warm-up's timeouts),
 * and how long it took from start to the last thread stopped.
 */
public record WarmupResult(long answered, long ok, Duration took) {
}
