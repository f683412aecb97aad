package io.healthyproxy.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Tells the {@link ClientConnection} when the first bytes of a new request arrive, before the decoder has a
 * whole head to show: that is when the request-header timeout starts (a slow sender gets 408), as opposed
 * to the idle timeout of a keep-alive connection that says nothing at all.
 */
final class ArrivalMarker extends ChannelInboundHandlerAdapter {

    private final ClientConnection connection;

    ArrivalMarker(ClientConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        connection.onBytes();
        ctx.fireChannelRead(msg);
    }
}
