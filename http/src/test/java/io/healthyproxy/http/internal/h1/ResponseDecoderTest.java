package io.healthyproxy.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A backend's responses, RFC 9112 §4 and §6.3, through {@link UpstreamCodec}: requests out, responses in. */
class ResponseDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new UpstreamCodec(DecoderLimits.BACKENDS));
    private final List<Object> received = new ArrayList<>();

    @AfterEach
    void release() {
        received.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    private ResponseDecoderTest sent(HttpMethod method) {
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/", Unpooled.EMPTY_BUFFER));
        for (Object written; (written = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(written);
        }
        return this;
    }

    private ResponseDecoderTest answer(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, ISO_8859_1));
        drain();
        return this;
    }

    private void drain() {
        for (Object m; (m = channel.readInbound()) != null; ) {
            received.add(m);
        }
    }

    private List<String> kinds() {
        return received.stream().map(m -> m instanceof HttpResponse r ? Integer.toString(r.status().code())
                : m instanceof LastHttpContent l ? "last:" + l.content().toString(ISO_8859_1)
                : m instanceof HttpContent c ? "piece:" + c.content().toString(ISO_8859_1)
                : "raw:" + ((ByteBuf) m).toString(ISO_8859_1)).toList();
    }

    private Throwable failure() {
        return received.stream().map(m -> ((HttpObject) m).decoderResult()).filter(DecoderResult::isFailure)
                .map(DecoderResult::cause).findFirst().orElse(null);
    }

    @Test
    void aResponseWithContentLength() {
        sent(HttpMethod.GET).answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: b1\r\n\r\nhello");

        assertThat(kinds()).containsExactly("200", "last:hello");
        HttpResponse head = (HttpResponse) received.get(0);
        assertThat(head.status()).isSameAs(HttpResponseStatus.OK);
        assertThat(head.headers().get("server")).isEqualTo("b1");
    }

    @Test
    void rfc9112s6_3_aResponseToHeadHasNoBodyWhateverItsHeadersSay() {
        sent(HttpMethod.HEAD).sent(HttpMethod.GET)
                .answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertThat(kinds()).containsExactly("200", "last:", "200", "last:ok");
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void rfc9112s6_3_204And304HaveNoBody(int status) {
        sent(HttpMethod.GET).sent(HttpMethod.GET).answer("HTTP/1.1 " + status + " X\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertThat(kinds()).containsExactly(Integer.toString(status), "last:", "200", "last:ok");
    }

    @Test
    void rfc9110s15_2_interimResponsesAreDeliveredEachOnItsOwnThenTheFinalOne() {
        sent(HttpMethod.POST).answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");

        assertThat(kinds()).containsExactly("100", "last:", "102", "last:", "103", "last:", "201", "last:ok");
        assertThat(((HttpResponse) received.get(4)).headers().get("link")).isEqualTo("</style.css>; rel=preload");
    }

    @Test
    void rfc9112s6_3_aResponseWithoutLengthLastsUntilTheConnectionCloses() {
        sent(HttpMethod.GET).answer("HTTP/1.1 200 OK\r\n\r\nsome").answer(" more");

        assertThat(kinds()).containsExactly("200", "piece:some", "piece: more");
        channel.finish();
        drain();
        assertThat(kinds()).containsExactly("200", "piece:some", "piece: more", "last:");
    }

    @Test
    void rfc9112s7_1_aChunkedResponseWithTrailers() {
        sent(HttpMethod.GET).answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nwiki\r\n0\r\nServer-Timing: db;dur=53\r\n\r\n");

        assertThat(kinds()).containsExactly("200", "piece:wiki", "last:");
        assertThat(((LastHttpContent) received.get(2)).trailingHeaders().get("server-timing")).isEqualTo("db;dur=53");
    }

    @Test
    void rfc9110s15_2_2_a101EndsHttpAndWhatFollowsIsHandedOnRaw() {
        sent(HttpMethod.GET).answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi")
                .answer("\u0081\u0001!");

        assertThat(kinds()).containsExactly("101", "last:", "raw:\u0081\u0002hi", "raw:\u0081\u0001!");
    }

    @Test
    void rfc9110s9_3_6_a2xxToConnectMakesATunnel() {
        sent(HttpMethod.CONNECT).answer("HTTP/1.1 200 Connection Established\r\n\r\n\u0016\u0003");

        assertThat(kinds()).containsExactly("200", "last:", "raw:\u0016\u0003");
    }

    @Test
    void rfc9112s4_theReasonPhraseIsKeptAsSentAndMayBeMissing() {
        sent(HttpMethod.GET).sent(HttpMethod.GET).sent(HttpMethod.GET).answer("HTTP/1.1 200 Fine Thanks\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n" + "HTTP/1.0 299 \r\nContent-Length: 0\r\n\r\n");

        assertThat(failure()).isNull();
        assertThat(((HttpResponse) received.get(0)).status().reasonPhrase()).isEqualTo("Fine Thanks");
        assertThat(((HttpResponse) received.get(2)).status().code()).isEqualTo(404);
        assertThat(((HttpResponse) received.get(4)).protocolVersion()).isSameAs(HttpVersion.HTTP_1_0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "garbage\r\n\r\n",
        "HTTP/1.1 600 Odd\r\n\r\n",
        "HTTP/1.1 099 Odd\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/2.0 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Bad: a\u0000b\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n"})
    void aMalformedResponseIsADecoderFailureAndNothingAfterItIsDecoded(String response) {
        sent(HttpMethod.GET).answer(response).answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        assertThat(failure()).as(response).isInstanceOfAny(MalformedMessageException.class,
                UnsupportedVersionException.class);
        assertThat(received.get(received.size() - 1)).as("the failure is the last message")
                .matches(m -> ((HttpObject) m).decoderResult().isFailure());
    }

    @Test
    void keepAliveResponsesFollowOneAnother() {
        sent(HttpMethod.GET).sent(HttpMethod.GET).answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na")
                .answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");

        assertThat(kinds()).containsExactly("200", "last:a", "200", "last:b");
    }

    @Test
    void aHeadCutShortByTheCloseIsNoMessageTheHandlerSeesTheConnectionGo() {
        sent(HttpMethod.GET).answer("HTTP/1.1 200 OK\r\nContent-Le");
        channel.finish();
        drain();

        assertThat(received).isEmpty();
    }
}
