package io.healthyproxy.http.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/** What an {@link Exchange} needs of the client connection it answers. All calls on its event loop. */
interface ClientSide {

    EventLoop loop();

    ByteBufAllocator alloc();

    /** Writes the response head (not flushed). */
    void sendHead(HttpResponse head);

    /** Writes a piece of the response body (not flushed). */
    void sendContent(HttpContent content);

    /** Writes a complete proxy-made response (not flushed). */
    void sendFull(FullHttpResponse response);

    void flush();

    /** Whether the client can take more without buffering in the proxy (back-pressure). */
    boolean isWritable();

    /**
     * Makes sure {@link Exchange#onTimer} is called at or before {@code deadline} (a ticker reading). The
     * connection has one timer for all its deadlines: a call may wake the exchange early, never late, and a
     * deadline that no longer matters needs no cancelling.
     */
    void wakeBy(long deadline);

    /** Asks for the next piece of a streamed request body. */
    void readBody();

    /** The response has been written: read the next request, or close when {@code keepAlive} is false. */
    void exchangeDone(boolean keepAlive);

    /** Something broke mid-response: the only honest thing left is to close the connection. */
    void abort();
}
