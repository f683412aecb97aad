package io.healthyproxy.http.config;

import io.healthyproxy.core.internal.Require;

/**
 * What a client may send.
 *
 * @param maxRequestLine        bytes in the request line (default 8 KiB; more gets 414)
 * @param maxHeaderBytes        bytes in all header lines (default 16 KiB; more gets 431)
 * @param maxHeaders            header lines (default 100; more gets 431)
 * @param maxBodyBytes          bytes in a request body (default 10 MiB; more gets 413)
 * @param maxBufferedBodyBytes  bodies up to this size are held until the backend answers, so that the request
 *                              can be retried; larger ones are streamed and cannot (default 64 KiB)
 * @param maxBufferedResponseBytes a response to a request that may be retried is held until it is complete if
 *                              it is no larger than this, so that a backend failing halfway through it costs
 *                              the client a retry, not a broken response; a larger one is relayed as it
 *                              arrives (default 64 KiB; 0 relays every response at once)
 * @param maxClientConnections  client connections open at once; more are refused (default 10,000)
 */
public record Limits(int maxRequestLine, int maxHeaderBytes, int maxHeaders, long maxBodyBytes,
        int maxBufferedBodyBytes, int maxBufferedResponseBytes, int maxClientConnections) {

    public static final Limits DEFAULTS = new Limits(8 * 1024, 16 * 1024, 100, 10L * 1024 * 1024, 64 * 1024,
            64 * 1024, 10_000);

    public Limits {
        Require.inRange("limits.maxRequestLine", maxRequestLine, 64, 1 << 20);
        Require.inRange("limits.maxHeaderBytes", maxHeaderBytes, 256, 1 << 22);
        Require.inRange("limits.maxHeaders", maxHeaders, 1, 10_000);
        if (maxBodyBytes < 0) {
            throw Require.invalid("limits.maxBodyBytes", maxBodyBytes, ">= 0");
        }
        Require.inRange("limits.maxBufferedBodyBytes", maxBufferedBodyBytes, 0, 64 << 20);
        Require.inRange("limits.maxBufferedResponseBytes", maxBufferedResponseBytes, 0, 64 << 20);
        Require.inRange("limits.maxClientConnections", maxClientConnections, 1, 1_000_000);
    }
}
