package io.healthyproxy.http.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The client side of one {@link Exchange}: where its answer goes and the few things it may ask of the client's
 * connection. {@link ClientConnection} is the HTTP/1.1 one. The exchange never sees the channel itself.
 * All calls on the connection's event loop.
 */
interface Downstream extends Alarm {

    /** The event loop the exchange runs on; its backend connections are taken from this loop's pools. */
    EventLoop loop();

    ByteBufAllocator alloc();

    /** Writes an interim (1xx) response ahead of the final one (not flushed). */
    void sendInterim(HttpResponse interim);

    /** Writes the response head (not flushed). */
    void sendHead(HttpResponse head);

    /** Writes a piece of the response body (not flushed). */
    void sendContent(HttpContent content);

    /** Writes a complete proxy-made response (not flushed). */
    void sendFull(FullHttpResponse response);

    void flush();

    /** Whether the client can take more without the proxy buffering it (back-pressure). */
    boolean isWritable();

    /**
     * Whether the connection can serve another request after this one: not when the proxy is draining or the
     * client has shut its sending side. An answer says so with {@code Connection: close}.
     */
    boolean canKeepAlive();

    /** Asks for the next piece of a streamed request body: it arrives as {@link Exchange#onBodyChunk}. */
    void readBody();

    /** The answer has been written: read the next request, or close when {@code keepAlive} is false. */
    void exchangeDone(boolean keepAlive);

    /** Something broke mid-response: the only honest thing left is to close the connection. */
    void abort();

    /**
     * The backend switched protocols ({@code switching} is its 101, as the client is to get it): the client's
     * connection and {@code backend} are joined into a {@link Tunnel}, closed after {@code idleNanos} without
     * traffic; {@code onClosed} runs when it ends.
     */
    void startTunnel(HttpResponse switching, Channel backend, long idleNanos, Runnable onClosed);
}
