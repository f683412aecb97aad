package io.healthyproxy.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests written to a backend by {@link RequestEncoder}: byte for byte what the proxy was given. */
class RequestEncoderTest {

    private static List<ByteBuf> encode(io.netty.channel.ChannelHandler encoder, Object... messages) {
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        for (Object m : messages) {
            channel.writeOutbound(m);
        }
        List<ByteBuf> written = new ArrayList<>();
        for (Object b; (b = channel.readOutbound()) != null; ) {
            written.add((ByteBuf) b);
        }
        channel.finishAndReleaseAll();
        return written;
    }

    private static String text(List<ByteBuf> written) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b : written) {
            out.append(b.toString(ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    @Test
    void aDecodedRequestIsWrittenBackByteForByteWhereNettysEncoderTurnsObsTextIntoUtf8() {
        String client = "GET /caf\u00c3\u00a9.txt?q=\u00ff HTTP/1.1\r\nHost: shop.example\r\nX-Name: Jos\u00c3\u00a9\r\n\r\n";
        Decoding decoded = Decoding.request(client);
        HttpRequest head = decoded.head();

        String ours = text(encode(new RequestEncoder(), head, LastHttpContent.EMPTY_LAST_CONTENT));
        String netty = text(encode(new HttpRequestEncoder(), head, LastHttpContent.EMPTY_LAST_CONTENT));

        assertThat(ours).isEqualTo(client);
        assertThat(netty).as("why we have our own encoder").startsWith("GET /caf\u00c3\u0083\u00c2\u00a9.txt");
        decoded.release();
    }

    @Test
    void fieldsAsDecodedGoOutAsReadAndTheProxysChangesAreWrittenInTheirPlace() {
        Decoding decoded = Decoding.request("GET /x HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n"
                + "X-Spaced:  as sent \t\r\nAccept: */*\r\nX-Last: z\r\n\r\n");
        HttpRequest head = decoded.head();
        head.headers().remove("connection");
        head.headers().set("X-Last", "changed");
        head.headers().add("X-Forwarded-For", "203.0.113.9");

        String written = text(encode(new RequestEncoder(), head, LastHttpContent.EMPTY_LAST_CONTENT));

        assertThat(written).isEqualTo("GET /x HTTP/1.1\r\nHost: a\r\nX-Spaced:  as sent \t\r\nAccept: */*\r\n"
                + "X-Last: changed\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n");
        decoded.release();
    }

    @Test
    void aSmallFullRequestIsOneBufferHeadAndBody() {
        DefaultFullHttpRequest post = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/orders",
                Unpooled.copiedBuffer("{\"id\":7}", ISO_8859_1));
        post.headers().add("Host", "x").add("Content-Length", "8");

        List<ByteBuf> written = encode(new RequestEncoder(), post);

        assertThat(written).hasSize(1);
        assertThat(text(written)).isEqualTo("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\n{\"id\":7}");
    }

    @Test
    void aLargerBodyIsPassedOnAsItIsNotCopied() {
        ByteBuf body = Unpooled.copiedBuffer("b".repeat(RequestEncoder.MERGED_BODY_BYTES + 1), ISO_8859_1);
        DefaultFullHttpRequest post = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/blob", body);

        List<ByteBuf> written = encode(new RequestEncoder(), post);

        assertThat(written).hasSize(2);
        assertThat(written.get(1)).isSameAs(body);
        assertThat(text(written)).startsWith("PUT /blob HTTP/1.1\r\n\r\nbbb");
    }

    @Test
    void aChunkedRequestHasItsPiecesFramedAsChunksAndItsTrailersWritten() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/up");
        head.headers().add("Transfer-Encoding", "chunked");
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer("!", ISO_8859_1));
        last.trailingHeaders().add("Checksum", "c0ffee");

        String written = text(encode(new RequestEncoder(), head,
                new DefaultHttpContent(Unpooled.copiedBuffer("0123456789abcdefX", ISO_8859_1)),
                new DefaultHttpContent(Unpooled.EMPTY_BUFFER), last));

        assertThat(written).isEqualTo("POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "11\r\n0123456789abcdefX\r\n" + "1\r\n!\r\n" + "0\r\nChecksum: c0ffee\r\n\r\n");
    }

    @Test
    void aChunkedRequestWithoutTrailersEndsWithTheLastChunk() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/up");
        head.headers().add("Transfer-Encoding", "chunked");

        String written = text(encode(new RequestEncoder(), head, LastHttpContent.EMPTY_LAST_CONTENT));

        assertThat(written).endsWith("\r\n\r\n0\r\n\r\n");
    }

    @Test
    void anEmptyTargetIsWrittenAsTheRoot() {
        String written = text(encode(new RequestEncoder(),
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "", Unpooled.EMPTY_BUFFER)));

        assertThat(written).isEqualTo("GET / HTTP/1.0\r\n\r\n");
    }

    @Test
    void whatWouldBreakTheFramingIsNeverWritten() {
        HttpRequest splitting = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
                DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders());
        splitting.headers().add("X-Evil", "a\r\nTransfer-Encoding: chunked");
        HttpRequest spacedTarget = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a b",
                DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders(), false);     // Netty would refuse it: a proxy's bug, say
        HttpRequest wideChar = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/\u20ac");

        for (HttpRequest bad : List.of(splitting, spacedTarget, wideChar)) {
            EmbeddedChannel channel = new EmbeddedChannel(new RequestEncoder());
            assertThatThrownBy(() -> channel.writeOutbound(bad)).isInstanceOf(EncoderException.class);
            assertThat((Object) channel.readOutbound()).isNull();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aRawBufferPassesThroughUntouched() {
        ByteBuf raw = Unpooled.copiedBuffer("tunnelled", ISO_8859_1);

        List<ByteBuf> written = encode(new RequestEncoder(), raw);

        assertThat(written).containsExactly(raw);
        written.forEach(ReferenceCountUtil::release);
    }
}
