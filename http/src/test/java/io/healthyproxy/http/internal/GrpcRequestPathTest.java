package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.GrpcPolicy;
import io.healthyproxy.http.internal.RequestPathHarness.FakeConnection;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * gRPC calls on the request path in fake time: grpc-status decides what counts against a backend (in the
 * trailers, or in the head of a trailers-only answer), only methods the config marks are sent twice, and a
 * stream the backend refused unprocessed is retried even for a POST: elsewhere, or on the same backend when it
 * is the only one.
 */
class GrpcRequestPathTest {

    private static final String METHOD = "/shop.Orders/Get";

    private static RequestPathHarness harness(GrpcPolicy grpc) {
        return new RequestPathHarness(2, b -> b, false, grpc);
    }

    /** A unary call as a client sends it: POST, application/grpc, TE: trailers, one message with its length. */
    private static void call(RequestPathHarness h) {
        HttpRequest head = RequestPathHarness.head(HttpMethod.POST, METHOD);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc").set(HttpHeaderNames.TE, "trailers")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 5);
        h.send(head);
        h.send(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[5])));
    }

    /** An ordinary answer: a head, one message, then the status in the trailers. */
    private static void answer(FakeConnection c, int grpcStatus) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
        c.channel.writeInbound(head);
        LastHttpContent end = new DefaultLastHttpContent(Unpooled.copiedBuffer("msg", StandardCharsets.UTF_8));
        end.trailingHeaders().setInt("grpc-status", grpcStatus);
        c.channel.writeInbound(end);
        c.request();
    }

    /** A trailers-only answer: the status in a head that ends the stream. */
    private static void answerTrailersOnly(FakeConnection c, int grpcStatus) {
        FullHttpResponse only = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        only.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc").setInt("grpc-status", grpcStatus)
                .set("grpc-message", "try later");
        c.channel.writeInbound(only);
        c.request();
    }

    @Test
    void anApplicationErrorStatusIsASuccessForTheBreaker() {
        RequestPathHarness h = harness(GrpcPolicy.DEFAULTS);
        call(h);
        answer(h.backend("b1").last(), 5);                  // NOT_FOUND

        assertThat(h.backend("b1").core.succeeded()).isOne();
        assertThat(h.backend("b1").consecutiveFailures()).isZero();
        assertThat(h.answer().status()).isEqualTo(200);
    }

    @Test
    void unavailableInTheTrailersCountsAgainstTheBackend() {
        RequestPathHarness h = harness(GrpcPolicy.DEFAULTS);
        call(h);
        answer(h.backend("b1").last(), 14);

        assertThat(h.backend("b1").consecutiveFailures()).isOne();
        assertThat(h.backend("b2").connections).as("a POST that was answered is not sent again").isEmpty();
    }

    @Test
    void theCodesThatCountAreTheConfiguredOnes() {
        RequestPathHarness h = harness(new GrpcPolicy(Set.of(8), Set.of()));
        call(h);
        answer(h.backend("b1").last(), 8);                  // RESOURCE_EXHAUSTED, configured
        call(h);
        answer(h.backend("b2").last(), 14);                 // UNAVAILABLE, not configured here

        assertThat(h.backend("b1").consecutiveFailures()).isOne();
        assertThat(h.backend("b2").consecutiveFailures()).isZero();
    }

    @Test
    void aTrailersOnlyAnswerCountsAndReachesTheClientWithItsStatusAtTheEnd() {
        RequestPathHarness h = harness(GrpcPolicy.DEFAULTS);
        call(h);
        answerTrailersOnly(h.backend("b1").last(), 14);

        assertThat(h.backend("b1").consecutiveFailures()).isOne();
        List<Object> received = h.received();
        HttpResponse head = (HttpResponse) received.get(0);
        LastHttpContent end = (LastHttpContent) received.get(received.size() - 1);
        assertThat(head.headers().contains("grpc-status")).as("a client reads the status where the stream ends")
                .isFalse();
        assertThat(end.trailingHeaders().get("grpc-status")).isEqualTo("14");
        assertThat(end.trailingHeaders().get("grpc-message")).isEqualTo("try later");
        received.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aMethodMarkedRetryableIsTriedOnAnotherBackendAfterUnavailable() {
        RequestPathHarness h = harness(new GrpcPolicy(Set.of(14), Set.of(METHOD)));
        call(h);
        answerTrailersOnly(h.backend("b1").last(), 14);
        answer(h.backend("b2").last(), 0);

        assertThat(h.backend("b1").consecutiveFailures()).isOne();
        assertThat(h.backend("b2").core.succeeded()).isOne();
        assertThat(h.answer().status()).isEqualTo(200);
    }

    @Test
    void teTrailersIsLeftOnTheClientsHopForAnHttp11Backend() {
        RequestPathHarness h = harness(GrpcPolicy.DEFAULTS);
        call(h);
        HttpRequest sent = h.backend("b1").last().request();

        assertThat(sent.headers().contains(HttpHeaderNames.TE)).isFalse();
    }

    @Test
    void aStreamTheBackendRefusedUnprocessedIsRetriedElsewhereWithoutBudgetOrBlame() {
        RequestPathHarness h = RequestPathHarness.start(2);
        h.post("/orders", "{}");
        FakeConnection b1 = h.backend("b1").last();
        b1.request();
        b1.channel.pipeline().fireUserEventTriggered(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        h.settle();

        assertThat(h.cluster.budget().retriesInFlight()).as("nothing was received: no budget needed").isZero();
        h.backend("b2").last().respond(201, "made");
        assertThat(h.answer().status()).isEqualTo(201);
        assertThat(h.backend("b1").consecutiveFailures()).as("a graceful GOAWAY is not a failure").isZero();
    }

    @Test
    void withNoOtherBackendARefusedStreamGoesBackToTheSameOneOnANewConnection() {
        RequestPathHarness h = RequestPathHarness.start(1);
        h.post("/orders", "{}");
        FakeConnection first = h.backend("b1").last();
        first.request();
        first.channel.pipeline().fireUserEventTriggered(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        h.settle();

        assertThat(h.backend("b1").connections).as("the retry on a connection of its own").hasSize(2);
        h.backend("b1").last().respond(201, "made");
        assertThat(h.answer().status()).isEqualTo(201);
        assertThat(h.backend("b1").consecutiveFailures()).isZero();
    }
}
