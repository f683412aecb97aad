package io.healthyproxy.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ResponseEncoder} writes what Netty's {@code HttpResponseEncoder} writes, and decoded fields as read. */
class ResponseEncoderTest {

    private static String written(ChannelHandler encoder, List<Object> messages) {
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        for (Object m : messages) {
            channel.writeOutbound(m);
        }
        StringBuilder out = new StringBuilder();
        for (Object b; (b = channel.readOutbound()) != null; ) {
            out.append(((ByteBuf) b).toString(ISO_8859_1));
            ReferenceCountUtil.release(b);
        }
        channel.finishAndReleaseAll();
        return out.toString();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, ISO_8859_1);
    }

    private static HttpResponse head(int status, String... fields) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        for (int i = 0; i < fields.length; i += 2) {
            r.headers().add(fields[i], fields[i + 1]);
        }
        return r;
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                Arguments.of("a full response", (Supplier<List<Object>>) () -> {
                    DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            text("hello"));
                    r.headers().add("Content-Length", "5").add("X-Name", "Jos\u00c3\u00a9");
                    return List.of(r);
                }),
                Arguments.of("a large full response", (Supplier<List<Object>>) () -> List.of(
                        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, text("b".repeat(5000))))),
                Arguments.of("chunked, with trailers", (Supplier<List<Object>>) () -> {
                    LastHttpContent last = new DefaultLastHttpContent(text("!"));
                    last.trailingHeaders().add("Server-Timing", "db;dur=53");
                    return List.of(head(200, "Transfer-Encoding", "chunked"), new DefaultHttpContent(text("0123456789abcdefX")),
                            new DefaultHttpContent(Unpooled.EMPTY_BUFFER), last);
                }),
                Arguments.of("chunked, without trailers", (Supplier<List<Object>>) () -> List.of(
                        head(200, "Transfer-Encoding", "chunked"), new DefaultHttpContent(text("abc")),
                        LastHttpContent.EMPTY_LAST_CONTENT)),
                Arguments.of("a 204 with a length and a body", (Supplier<List<Object>>) () -> List.of(
                        head(204, "Content-Length", "5", "X-A", "a"), new DefaultLastHttpContent(text("hello")))),
                Arguments.of("a 205 chunked", (Supplier<List<Object>>) () -> List.of(
                        head(205, "Transfer-Encoding", "chunked"), LastHttpContent.EMPTY_LAST_CONTENT)),
                Arguments.of("a 304 with its length", (Supplier<List<Object>>) () -> List.of(
                        head(304, "Content-Length", "100", "ETag", "\"x\""), LastHttpContent.EMPTY_LAST_CONTENT)),
                Arguments.of("a 100", (Supplier<List<Object>>) () -> List.of(new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE))),
                Arguments.of("a 101", (Supplier<List<Object>>) () -> List.of(
                        head(101, "Upgrade", "websocket", "Connection", "Upgrade"), LastHttpContent.EMPTY_LAST_CONTENT)),
                Arguments.of("HTTP/1.0, its own reason", (Supplier<List<Object>>) () -> {
                    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_0, new HttpResponseStatus(299, "Fine Thanks"));
                    return List.of(r, new DefaultLastHttpContent(text("until close")));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void writesTheBytesNettysEncoderWrites(String name, Supplier<List<Object>> response) {
        assertThat(written(new ResponseEncoder(), response.get())).as(name)
                .isEqualTo(written(new HttpResponseEncoder(), response.get()));
    }

    @Test
    void aDecodedResponseGoesOutAsItCameLessWhatTheProxyRemoved() {
        String backend = "HTTP/1.1 200 OK\r\nServer: b1\r\nConnection: keep-alive\r\nX-Spaced:  kept  \r\n"
                + "Content-Length: 2\r\n\r\nok";
        EmbeddedChannel upstream = new EmbeddedChannel(new UpstreamCodec(DecoderLimits.BACKENDS));
        upstream.writeOutbound(new io.netty.handler.codec.http.DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER));
        upstream.releaseOutbound();
        upstream.writeInbound(text(backend));
        List<Object> decoded = new ArrayList<>();
        for (Object m; (m = upstream.readInbound()) != null; ) {
            decoded.add(m);
        }
        ((HttpResponse) decoded.get(0)).headers().remove(HttpHeaderNames.CONNECTION);

        assertThat(written(new ResponseEncoder(), decoded))
                .isEqualTo("HTTP/1.1 200 OK\r\nServer: b1\r\nX-Spaced:  kept  \r\nContent-Length: 2\r\n\r\nok");
        upstream.finishAndReleaseAll();
    }
}
