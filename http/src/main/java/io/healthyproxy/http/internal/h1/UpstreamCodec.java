package io.healthyproxy.http.internal.h1;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayDeque;

/**
 * The codec of a connection to a backend, in place of Netty's {@code HttpClientCodec}: a {@link RequestEncoder}
 * that writes requests byte-exact, and a {@link ResponseDecoder} that frames each response by the method of
 * the request it answers (a response to HEAD has no body), which the encoder queues for it, oldest first.
 * Pipelined requests are answered in order, so one queue is all the correlation there is.
 *
 * <p>{@code pipeline.addLast("http", new UpstreamCodec(DecoderLimits.BACKENDS))}. Confined to the channel's
 * event loop.
 */
public final class UpstreamCodec extends CombinedChannelDuplexHandler<ResponseDecoder, RequestEncoder> {

    public UpstreamCodec(DecoderLimits limits) {
        ArrayDeque<HttpMethod> sent = new ArrayDeque<>(2);
        init(new ResponseDecoder(limits, sent), new RequestEncoder(sent));
    }
}
