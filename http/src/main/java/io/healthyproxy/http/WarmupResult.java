package io.healthyproxy.http;

import java.time.Duration;

/**
 * What {@link HttpProxy#warmUp} did: how many requests went through the warm-up's proxy and were answered, how
 * many of them with the status its backend gave (all, unless the proxy timed out or failed on some: on a machine
 * too loaded to answer within its timeouts, say), how many of the answered went over HTTP/2 (some of the TLS
 * half's, when the listener offers h2; none otherwise), how many TLS handshakes its clients made (none for a
 * plain listener), and how long it took, from start to the last thread stopped.
 */
public record WarmupResult(long answered, long ok, long answeredOverH2, long tlsHandshakes, Duration took) {
}
