package io.healthyproxy.http.internal.h2;

import io.healthyproxy.http.config.Http2Config;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import java.time.Duration;

/**
 * The HTTP/2 end of a client connection: Netty's frame codec with the proxy's settings and its flood defences
 * switched on at chosen values, and the multiplexer that gives each stream its own child channel. What runs on
 * a stream is the caller's ({@code streamHandler}); this class knows nothing of exchanges.
 *
 * <h2>Defences, and why these values</h2>
 * <ul>
 *   <li><b>Rapid reset</b> (CVE-2023-44487): at most {@value #MAX_RESETS_PER_WINDOW} RST_STREAM frames from a
 *       client in {@value #RESET_WINDOW_SECONDS} s, then GOAWAY (ENHANCE_YOUR_CALM) and close. An honest client
 *       resets streams it no longer wants (a page left): at most its open streams at once, so the limit allows
 *       two full cancellations of 100 streams (the default limit) per window. Netty's default.</li>
 *   <li><b>Resets the proxy sends</b> (the "MadeYouReset" variant, CVE-2025-8671: frames that make the server
 *       reset its own streams): the same limit on what the proxy sends.</li>
 *   <li><b>Control frames queued for a client that does not read</b> (SETTINGS and PING floods answered with
 *       ACKs nobody collects): at most {@value #MAX_QUEUED_CONTROL_FRAMES}, Envoy's
 *       {@code max_outbound_control_frames}; Netty's default of 10,000 lets one connection hold a megabyte.</li>
 *   <li><b>Control frames from a client that does read</b>: {@link ControlFrameGuard}.</li>
 *   <li><b>Empty DATA frames</b> (CVE-2019-9518): at most {@value #MAX_CONSECUTIVE_EMPTY_DATA_FRAMES} in a row
 *       without END_STREAM. Envoy allows 1; an empty frame that flushes is legal, so two are allowed.</li>
 *   <li><b>CONTINUATION flood</b> (CVE-2024-27316): a header block may not outgrow the header-list limit (Netty
 *       counts it while it is still arriving and sends GOAWAY), and at most {@value #MAX_SMALL_CONTINUATIONS}
 *       small CONTINUATION frames make up one block (honest clients send none below 16 KiB of headers).</li>
 *   <li><b>Header lists</b> over {@code maxHeaderListBytes} get 431; far over it, GOAWAY.</li>
 *   <li><b>Concurrent streams</b> over the limit are refused with RST_STREAM (REFUSED_STREAM); server push is
 *       never used.</li>
 * </ul>
 */
public final class Http2Frontend {

    static final int MAX_RESETS_PER_WINDOW = 200;
    static final int RESET_WINDOW_SECONDS = 30;
    static final int MAX_QUEUED_CONTROL_FRAMES = 1_000;
    static final int MAX_CONSECUTIVE_EMPTY_DATA_FRAMES = 2;
    static final int MAX_SMALL_CONTINUATIONS = 8;

    private final Http2Config config;
    private final long maxHeaderListBytes;
    private final long gracefulShutdownMillis;

    /**
     * @param maxHeaderListBytes what a stream's header list may add up to (RFC 9113 §6.5.2 counts 32 bytes per field)
     * @param gracefulShutdown   how long a draining connection waits for its open streams after GOAWAY
     */
    public Http2Frontend(Http2Config config, long maxHeaderListBytes, Duration gracefulShutdown) {
        this.config = config;
        this.maxHeaderListBytes = maxHeaderListBytes;
        this.gracefulShutdownMillis = gracefulShutdown.toMillis();
    }

    /** The settings the proxy announces to every client. */
    Http2Settings settings() {
        return new Http2Settings()
                .maxConcurrentStreams(config.maxConcurrentStreams())
                .initialWindowSize(config.initialWindowBytes())
                .maxFrameSize(config.maxFrameBytes())
                .maxHeaderListSize(maxHeaderListBytes);     // ENABLE_PUSH is a client's setting; this server never pushes
    }

    /** A frame codec for one new connection. */
    public Http2FrameCodec newCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(settings())
                .validateHeaders(true)
                .gracefulShutdownTimeoutMillis(gracefulShutdownMillis)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
                .encoderEnforceMaxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA_FRAMES)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATIONS)
                .build();
    }

    /** The multiplexer: each new stream gets a child channel, set up by {@code streamInitializer}. */
    public Http2MultiplexHandler newMultiplexer(ChannelHandler streamInitializer) {
        return new Http2MultiplexHandler(streamInitializer);
    }
}
