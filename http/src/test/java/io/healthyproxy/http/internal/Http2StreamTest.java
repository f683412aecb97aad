package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.h2.Http2Wire;
import io.healthyproxy.http.h2.Http2Wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 streams through the request path in fake time, with embedded channels on both sides: the client's
 * frames are written as bytes with Netty's frame writer ({@link Http2Wire}), the backends are the harness's
 * fake HTTP/1.1 connections. Each stream is an exchange like any HTTP/1.1 request; the defences against the
 * known HTTP/2 floods end the connection that floods, and leave nothing behind.
 */
class Http2StreamTest {

    private final RequestPathHarness h = new RequestPathHarness(2, b -> b, true);
    private final Http2Wire wire = new Http2Wire(bytes -> {
        if (h.client.isActive()) {
            h.client.writeInbound(bytes);
        } else {
            bytes.release();
        }
    });

    private List<Frame> frames(int streamId) {
        readAll();
        return wire.frames(streamId);
    }

    private void readAll() {
        h.settle();
        for (Object o; (o = h.client.readOutbound()) != null; ) {
            wire.receive((ByteBuf) o);
        }
    }

    private Http2StreamTest connect() {
        wire.preface();
        h.settle();
        return this;
    }

    private void get(int streamId, String path) {
        wire.headers(streamId, Http2Wire.request("GET", path), true);
        h.settle();
    }

    @Test
    void aStreamIsAnExchangeThroughTheSameRequestPath() {
        connect().get(1, "/shop?item=1");

        HttpRequest sent = h.backend("b1").last().request();
        assertThat(sent.uri()).isEqualTo("/shop?item=1");
        assertThat(sent.headers().get(HttpHeaderNames.HOST)).isEqualTo("app.example");
        assertThat(sent.headers().get("x-forwarded-proto")).isEqualTo("http");
        assertThat(sent.headers().names()).noneMatch(name -> name.startsWith("x-http2-"));
        h.backend("b1").last().respond(200, "hello");

        assertThat(frames(1)).extracting(Frame::type).containsExactly("HEADERS", "DATA");
        assertThat(frames(1).get(0).status()).isEqualTo("200");
        assertThat(frames(1).get(1).data()).isEqualTo("hello");
        assertThat(frames(1).get(1).endStream()).isTrue();
        assertThat(h.proxy.activeExchanges()).isZero();
    }

    @Test
    void aStreamIsRetriedOnAnotherBackendLikeAnyRequest() {
        h.backend("b1").thenConnect(RequestPathHarness.Connect.REFUSE);
        connect().get(1, "/");

        h.backend("b2").last().respond(200, "from b2");

        assertThat(frames(1).get(0).status()).isEqualTo("200");
        assertThat(frames(1).get(1).data()).isEqualTo("from b2");
    }

    @Test
    void trailersFromTheBackendReachTheHttp2Client() {
        connect().get(1, "/grpc-like");
        RequestPathHarness.FakeConnection backend = h.backend("b1").last();
        backend.request();
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        head.headers().set(HttpHeaderNames.TRAILER, "grpc-status");
        backend.channel.writeInbound(head);
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer("body", StandardCharsets.UTF_8));
        last.trailingHeaders().set("grpc-status", "0");
        backend.channel.writeInbound(last);

        List<Frame> frames = frames(1);
        assertThat(frames).extracting(Frame::type).containsExactly("HEADERS", "DATA", "HEADERS");
        assertThat(frames.get(1).data()).isEqualTo("body");
        Frame trailers = frames.get(2);
        assertThat(trailers.headers().get("grpc-status")).hasToString("0");
        assertThat(trailers.endStream()).isTrue();
    }

    @Test
    void earlyHintsArePassedOnAsInterimHeadersAheadOfTheAnswer() {
        connect().get(1, "/page");
        RequestPathHarness.FakeConnection backend = h.backend("b1").last();
        backend.request();
        DefaultFullHttpResponse hints = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(103));
        hints.headers().set("link", "</style.css>; rel=preload");
        backend.channel.writeInbound(hints);
        backend.respond(200, "page");

        assertThat(frames(1)).extracting(Frame::type).containsExactly("HEADERS", "HEADERS", "DATA");
        assertThat(frames(1).get(0).status()).isEqualTo("103");
        assertThat(frames(1).get(0).endStream()).isFalse();
        assertThat(frames(1).get(0).headers().get("link")).hasToString("</style.css>; rel=preload");
        assertThat(frames(1).get(1).status()).isEqualTo("200");
    }

    @Test
    void aClientsRequestTrailersReachTheBackend() {
        connect();
        wire.headers(1, Http2Wire.request("POST", "/upload"), false).data(1, "payload", false)
                .headers(1, new DefaultHttp2Headers().set("checksum", "abc"), true);
        h.settle();

        List<Object> sent = h.backend("b1").last().sent();
        assertThat(sent).first().isInstanceOf(HttpRequest.class);
        assertThat(((HttpRequest) sent.get(0)).headers().get(HttpHeaderNames.TRANSFER_ENCODING)).isEqualTo("chunked");
        LastHttpContent last = (LastHttpContent) sent.get(sent.size() - 1);
        assertThat(last.content().toString(StandardCharsets.UTF_8)).isEqualTo("payload");
        assertThat(last.trailingHeaders().get("checksum")).isEqualTo("abc");
        sent.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    @Test
    void aStreamThatNeverSendsItsBodyGets408AndIsReset() {
        connect();
        Http2Headers post = Http2Wire.request("POST", "/upload").setInt("content-length", 5);
        wire.headers(1, post, false);
        h.settle();

        h.advance(Duration.ofSeconds(31));                     // requestBodyIdle is 30 s by default

        assertThat(frames(1)).extracting(Frame::type).containsExactly("HEADERS", "DATA", "RST_STREAM");
        assertThat(frames(1).get(0).status()).isEqualTo("408");
        assertThat(frames(1).get(2).errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
        assertThat(h.backend("b1").connections).isEmpty();   // a buffered body: no backend saw anything
        assertThat(h.client.isActive()).isTrue();             // the connection carries on
    }

    @Test
    void aSlowReaderPausesTheBackendInsteadOfBufferingTheResponse() {
        wire.preface(new Http2Settings().initialWindowSize(1024));
        h.settle();
        get(1, "/download");
        RequestPathHarness.FakeConnection backend = h.backend("b1").last();
        backend.request();
        backend.head(200, 1_000_000);                          // too large to hold: relayed as it comes
        backend.piece("x".repeat(16 * 1024), false);
        backend.piece("x".repeat(64 * 1024), false);
        int readsWhilePaused = backend.reads.count;
        backend.piece("x".repeat(64 * 1024), false);

        long delivered = frames(1).stream().filter(f -> f.type().equals("DATA")).mapToLong(f -> f.data().length()).sum();
        assertThat(delivered).isLessThanOrEqualTo(1024);        // the client's window, no more
        assertThat(backend.reads.count).isEqualTo(readsWhilePaused);

        wire.windowUpdate(1, 1 << 20).windowUpdate(0, 1 << 20);
        h.settle();

        assertThat(backend.reads.count).isGreaterThan(readsWhilePaused);
    }

    @Test
    void aSlowBackendHoldsBackTheClientsUploadInsteadOfBufferingIt() {
        h.backend("b1").holdWrites = true;                     // the backend takes nothing yet
        connect();
        Http2Headers post = Http2Wire.request("POST", "/upload").setInt("content-length", 1_000_000);
        wire.headers(1, post, false);
        String piece = "x".repeat(16_383);
        for (int i = 0; i < 4; i++) {
            wire.data(1, piece, false);                        // all but 3 bytes of the 65,535-byte window
        }
        h.settle();

        assertThat(streamWindowHandedBack()).isLessThanOrEqualTo(32 * 1024);   // at most what one read took
        assertThat(h.backend("b1").last().writes.heldCount()).isEqualTo(2);   // the head and one piece; the rest waits
        h.backend("b1").last().writes.holding = false;
        h.backend("b1").last().completeWrites();               // the backend takes everything from now on

        assertThat(streamWindowHandedBack()).isGreaterThan(32 * 1024);
    }

    /** How much of stream 1's window the proxy has given back to the client so far. */
    private long streamWindowHandedBack() {
        return frames(1).stream().filter(f -> f.type().equals("WINDOW_UPDATE")).mapToLong(Frame::errorCode).sum();
    }

    @Test
    void aFrameLargerThanTheMaximumEndsTheConnection() {
        connect();
        wire.headers(1, Http2Wire.request("POST", "/upload"), false);
        wire.raw(0x0, 0, 1, new byte[16_385]);                 // DATA, one byte over maxFrameBytes
        readAll();

        assertThat(wire.sawGoAway(Http2Error.FRAME_SIZE_ERROR.code())).isTrue();
        assertThat(h.client.isActive()).isFalse();
    }

    @Test
    void anAnswerThatBreaksOffResetsItsStreamOnly() {
        connect().get(1, "/large");
        RequestPathHarness.FakeConnection backend = h.backend("b1").last();
        backend.request();
        backend.head(200, 1_000_000);
        backend.piece("part", false);
        backend.reset();

        assertThat(frames(1)).extracting(Frame::type).endsWith("RST_STREAM");
        assertThat(frames(1).get(frames(1).size() - 1).errorCode()).isEqualTo(Http2Error.INTERNAL_ERROR.code());

        get(3, "/next");
        h.backend("b2").last().respond(200, "fine");
        assertThat(frames(3).get(0).status()).isEqualTo("200");
    }

    // ---- defences --------------------------------------------------------------------------------------

    @Test
    void rapidResetEndsTheConnectionAndLeavesNothingBehind() {
        connect();
        for (int i = 0; i < 400 && h.client.isActive(); i++) {
            int stream = 2 * i + 1;
            wire.headers(stream, Http2Wire.request("GET", "/"), true).reset(stream, Http2Error.CANCEL.code());
            h.settle();
        }
        readAll();

        assertThat(wire.sawGoAway(Http2Error.ENHANCE_YOUR_CALM.code())).isTrue();
        assertThat(h.client.isActive()).isFalse();
        assertThat(h.proxy.activeExchanges()).isZero();
        assertThat(h.pool.backends()).allSatisfy(b -> assertThat(b.inFlight()).isZero());
    }

    @Test
    void aContinuationFloodIsCutOffBeforeItAddsUp() {
        connect();
        wire.raw(0x1, 0, 1, new byte[] {(byte) 0x82});        // HEADERS without END_HEADERS: ":method: GET"
        int sent = 0;
        for (; sent < 10_000 && h.client.isActive(); sent++) {
            wire.raw(0x9, 0, 1, new byte[] {0x40, 0x01, 'a', 0x01, 'b'});   // CONTINUATION, tiny, never the end
            h.settle();
        }
        readAll();

        assertThat(h.client.isActive()).isFalse();
        assertThat(sent).isLessThan(100);
        assertThat(wire.frames()).anyMatch(f -> f.type().equals("GOAWAY"));
    }

    @Test
    void aPingFloodEndsTheConnection() {
        connect();
        for (int i = 0; i < 1_000 && h.client.isActive(); i++) {
            wire.ping(i);
            h.settle();
        }
        readAll();

        assertThat(wire.sawGoAway(Http2Error.ENHANCE_YOUR_CALM.code())).isTrue();
        assertThat(h.client.isActive()).isFalse();
        assertThat(wire.frames()).filteredOn(f -> f.type().equals("PING_ACK")).hasSizeLessThanOrEqualTo(201);
    }

    @Test
    void aSettingsFloodEndsTheConnection() {
        connect();
        for (int i = 0; i < 1_000 && h.client.isActive(); i++) {
            wire.settings(new Http2Settings().initialWindowSize(65_535));
            h.settle();
        }
        readAll();

        assertThat(wire.sawGoAway(Http2Error.ENHANCE_YOUR_CALM.code())).isTrue();
        assertThat(h.client.isActive()).isFalse();
    }

    @Test
    void emptyDataFramesInARowEndTheConnection() {
        connect();
        wire.headers(1, Http2Wire.request("POST", "/upload"), false);
        for (int i = 0; i < 10 && h.client.isActive(); i++) {
            wire.data(1, "", false);
            h.settle();
        }
        readAll();

        assertThat(wire.sawGoAway(Http2Error.ENHANCE_YOUR_CALM.code())).isTrue();
        assertThat(h.client.isActive()).isFalse();
        assertThat(h.proxy.activeExchanges()).isZero();
    }

    @Test
    void aHeaderListOverTheLimitGets431AndTheConnectionCarriesOn() {
        connect();
        // The limit is maxHeaderBytes (16 KiB) + 32 bytes for each of maxHeaders (100) fields: 19,584.
        wire.headers(1, Http2Wire.request("GET", "/").set("x-big", "v".repeat(19_600)), true);
        h.settle();

        assertThat(frames(1).get(0).status()).isEqualTo("431");
        assertThat(h.backend("b1").connections).isEmpty();

        get(3, "/after");
        h.backend("b1").last().respond(200, "ok");
        assertThat(frames(3).get(0).status()).isEqualTo("200");
    }

    @Test
    void streamsBeyondTheConcurrentLimitAreRefused() {
        connect();
        for (int i = 0; i <= 100; i++) {
            wire.headers(2 * i + 1, Http2Wire.request("POST", "/slow-upload"), false);   // 101 open streams
        }
        h.settle();

        assertThat(frames(201)).extracting(Frame::type).containsExactly("RST_STREAM");
        assertThat(frames(201).get(0).errorCode()).isEqualTo(Http2Error.REFUSED_STREAM.code());
        assertThat(h.client.isActive()).isTrue();
    }
}
