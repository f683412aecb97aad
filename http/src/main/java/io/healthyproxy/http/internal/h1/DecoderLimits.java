package io.healthyproxy.http.internal.h1;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.http.config.Limits;

/**
 * The sizes a decoder in this package accepts.
 *
 * @param maxStartLine  bytes in the request or status line, CRLF excluded; longer is a
 *                      {@link io.netty.handler.codec.http.TooLongHttpLineException} (414 for a request)
 * @param maxFieldBytes bytes in the header field lines together, each line's CRLF excluded (as Netty counts);
 *                      more is a {@link io.netty.handler.codec.http.TooLongHttpHeaderException} (431). The same
 *                      bound applies to a trailer section.
 * @param maxPieceBytes the largest body piece ({@code HttpContent}) handed on: a larger chunk or body arrives
 *                      in several pieces. Pieces are slices of the bytes read, never copies.
 */
public record DecoderLimits(int maxStartLine, int maxFieldBytes, int maxPieceBytes) {

    /** The body piece size for both sides: 64 KiB, what the proxy used with Netty's decoders. */
    public static final int PIECE_BYTES = 64 * 1024;

    /**
     * For backends' responses: an 8 KiB status line, 64 KiB of header fields (backends send large cookies
     * and security policies; NGINX's default proxy buffers hold 4–8 KiB, HAProxy's tune.bufsize 16 KiB, so
     * this is generous on purpose: a backend is trusted more than a client), 64 KiB pieces.
     */
    public static final DecoderLimits BACKENDS = new DecoderLimits(8 * 1024, 64 * 1024, PIECE_BYTES);

    public DecoderLimits {
        Require.inRange("maxStartLine", maxStartLine, 16, 1 << 20);
        Require.inRange("maxFieldBytes", maxFieldBytes, 64, 1 << 24);
        Require.inRange("maxPieceBytes", maxPieceBytes, 1, 1 << 24);
    }

    /** For clients' requests: the configured request-line and header limits (8 KiB and 16 KiB by default). */
    public static DecoderLimits forClients(Limits limits) {
        return new DecoderLimits(limits.maxRequestLine(), limits.maxHeaderBytes(), PIECE_BYTES);
    }
}
