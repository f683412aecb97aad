package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.breaker.FailureCount;
import io.healthyproxy.http.config.Hedging;
import io.healthyproxy.http.config.RetryPolicy;
import io.healthyproxy.http.config.StatusCodes;
import io.healthyproxy.http.config.Timeouts;
import io.healthyproxy.http.internal.RequestPathHarness.Answer;
import io.healthyproxy.http.internal.RequestPathHarness.Connect;
import io.healthyproxy.http.internal.RequestPathHarness.FakeBackend;
import io.healthyproxy.http.internal.RequestPathHarness.FakeConnection;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request path in fake time, with embedded channels on both sides: retries, hedges, timeouts, the retry
 * budget, failures mid-response, clients that go away and back-pressure both ways. Each test moves the
 * ticker itself; nothing sleeps, no socket is opened.
 */
class RequestPathTest {

    // ---- retries -------------------------------------------------------------------------------------------

    @Test
    void aConnectFailureIsRetriedOnAnotherBackendWithoutTakingABudgetPlace() {
        RequestPathHarness h = RequestPathHarness.start(2);
        h.backend("b1").thenConnect(Connect.REFUSE);

        h.post("/orders", "{}");                  // not idempotent: retried only because nothing was sent
        FakeConnection b2 = h.backend("b2").last();
        assertThat(b2.request().method()).isEqualTo(HttpMethod.POST);
        assertThat(h.cluster.budget().retriesInFlight()).as("a retry of an unsent request needs no budget").isZero();
        b2.respond(201, "made");

        Answer answer = h.answer();
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body()).isEqualTo("made");
        assertThat(h.backend("b1").consecutiveFailures()).isOne();
        assertThat(h.backend("b2").core.succeeded()).isOne();
    }

    @Test
    void aResetBeforeTheHeadIsRetriedOnAnotherBackendForAnIdempotentRequest() {
        RequestPathHarness h = RequestPathHarness.start(2);

        h.get("/");
        FakeConnection b1 = h.backend("b1").last();
        b1.request();
        assertThat(h.backend("b2").connections).as("nothing is tried twice at once").isEmpty();
        b1.reset();
        assertThat(h.cluster.budget().retriesInFlight()).as("the retry holds a budget place").isOne();
        h.backend("b2").last().respond(200, "b2");

        assertThat(h.answer().body()).isEqualTo("b2");
        assertThat(h.backend("b1").consecutiveFailures()).isOne();
        assertThat(h.cluster.budget().retriesInFlight()).as("given back when the retry ended").isZero();
    }

    @Test
    void aResetAfterAPostWasSentIsNotRetried() {
        RequestPathHarness h = RequestPathHarness.start(2);

        h.post("/orders", "{}");
        h.backend("b1").last().reset();

        Answer answer = h.answer();
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).contains("backend_reset").contains("b1 closed the connection without an answer");
        assertThat(h.backend("b2").connections).as("the POST may have been received: never sent twice").isEmpty();
    }

    @Test
    void aRetryableStatusIsRetriedAndCountsAgainstItsBackend() {
        RequestPathHarness h = RequestPathHarness.start(2);

        h.get("/");
        h.backend("b1").last().respond(503, "busy");
        assertThat(h.received()).as("the 503 is not relayed while a retry can be made").isEmpty();
        h.backend("b2").last().respond(200, "b2");

        assertThat(h.answer().body()).isEqualTo("b2");
        assertThat(h.backend("b1").core.failed()).isOne();
        assertThat(h.backend("b1").last().isOpen()).as("the rejected response's connection is not reused").isFalse();
    }

    @Test
    void whenNoTryIsLeftTheClientGetsTheBackendsOwnRetryableStatus() {
        RequestPathHarness h = RequestPathHarness.start(2);

        h.get("/");
        h.backend("b1").last().respond(503, "b1 busy");
        h.backend("b2").last().respond(503, "b2 busy");

        Answer answer = h.answer();
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).as("the last backend's own answer, not a proxy-made one").isEqualTo("b2 busy");
    }

    @Test
    void theRetryBudgetRunningOutEndsTheRetries() {
        RequestPathHarness h = RequestPathHarness.start(3, b -> b.retries(
                new RetryPolicy(3, StatusCodes.GATEWAY_ERRORS, 0.0, 0, Hedging.OFF)));

        h.get("/");
        h.backend("b1").last().reset();

        Answer answer = h.answer();
        assertThat(answer.status()).isEqualTo(502);
        assertThat(h.backend("b2").connections).isEmpty();
        assertThat(h.cluster.budget().exhaustedCount()).isOne();
    }

    @Test
    void everyBackendFailingEndsWithTheLastFailureAndEveryBackendHeard() {
        RequestPathHarness h = RequestPathHarness.start(3);
        for (FakeBackend b : h.backends.values()) {
            b.thenConnect(Connect.REFUSE);
        }

        h.get("/");

        Answer answer = h.answer();
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).contains("backend_unreachable").contains("b1").contains("b2").contains("b3");
        assertThat(h.backends.values()).allSatisfy(b -> assertThat(b.consecutiveFailures()).isOne());
        assertThat(h.proxy.activeExchanges()).isZero();
    }

    @Test
    void eachFailureReachesTheBreakerWithItsKind() {
        RequestPathHarness h = RequestPathHarness.start(3);
        h.backend("b1").thenConnect(Connect.REFUSE);

        h.get("/");
        h.backend("b2").last().reset();
        h.backend("b3").last().respond(503, "busy");

        assertThat(h.backend("b1").core.breaker().snapshot().failureKinds())
                .containsExactly(new FailureCount(AttemptFailure.CONNECT.code(), 1));
        assertThat(h.backend("b2").core.breaker().snapshot().failureKinds())
                .containsExactly(new FailureCount(AttemptFailure.RESET.code(), 1));
        assertThat(h.backend("b3").core.breaker().snapshot().failureKinds())
                .containsExactly(new FailureCount(AttemptFailure.FAILURE_STATUS.code(), 1));
    }

    // ---- a second opinion on 500 -------------------------------------------------------------------------

    @Test
    void a500IsHeldAgainstItsBackendOnlyWhenAnotherBackendAnswersFine() {
        RequestPathHarness h = RequestPathHarness.start(2);

        h.get("/");
        h.backend("b1").last().respond(500, "b1 broken");
        assertThat(h.received()).as("a second opinion is asked before the client hears anything").isEmpty();
        assertThat(h.backend("b1").core.inFlight()).as("b1's verdict waits for it").isOne();
        h.backend("b2").last().respond(200, "b2 fine");

        assertThat(h.answer().body()).isEqualTo("b2 fine");
        assertThat(h.backend("b1").core.failed()).as("b2 answered fine: b1 was at fault").isOne();
        assertThat(h.backend("b1").core.inFlight()).isZero();
    }

    @Test
    void anEndpointBrokenOnEveryBackendBlamesNoneAndCostsOneExtraTry() {
        RequestPathHarness h = RequestPathHarness.start(3);

        h.get("/broken");
        h.backend("b1").last().respond(500, "b1 says no");
        FakeBackend second = h.backend("b2").connections.isEmpty() ? h.backend("b3") : h.backend("b2");
        second.last().respond(500, "it says no too");

        Answer answer = h.answer();
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body()).as("the second backend's own answer").isEqualTo("it says no too");
        assertThat(h.backends.values()).allSatisfy(b -> assertThat(b.core.failed()).isZero());
        long tried = h.backends.values().stream().filter(b -> !b.connections.isEmpty()).count();
        assertThat(tried).as("one extra try, not two").isEqualTo(2);
    }

    @Test
    void aPostAnswered500IsRelayedAndNoOtherBackendIsAsked() {
        RequestPathHarness h = RequestPathHarness.start(2);

        h.post("/orders", "{}");
        h.backend("b1").last().respond(500, "no");

        assertThat(h.answer().status()).isEqualTo(500);
        assertThat(h.backend("b2").connections).isEmpty();
        assertThat(h.backend("b1").core.failed()).as("500 is not a failure status by default").isZero();
    }

    @Test
    void withNoOtherBackendTheClientGetsThe500AndNobodyIsBlamed() {
        RequestPathHarness h = RequestPathHarness.start(1);

        h.get("/");
        h.backend("b1").last().respond(500, "alone");

        assertThat(h.answer().body()).isEqualTo("alone");
        assertThat(h.backend("b1").core.failed()).isZero();
    }

    // ---- hedging ------------------------------------------------------------------------------------------

    @Test
    void aHedgeGoesOutAtItsDelayAndTheLoserIsCalledOff() {
        RequestPathHarness h = RequestPathHarness.start(2, b -> b.retries(new RetryPolicy(3,
                StatusCodes.GATEWAY_ERRORS, 0.2, 10, new Hedging(true, Optional.of(Duration.ofMillis(50)),
                        Duration.ofMillis(20)))));

        h.get("/");
        FakeConnection slow = h.backend("b1").last();
        h.advanceMillis(49);
        assertThat(h.backend("b2").connections).as("no hedge before its delay").isEmpty();
        h.advanceMillis(1);
        FakeConnection hedge = h.backend("b2").last();
        assertThat(hedge.request().uri()).isEqualTo("/");
        hedge.respond(200, "hedge");

        assertThat(h.answer().body()).isEqualTo("hedge");
        assertThat(slow.isOpen()).as("the loser's connection is closed").isFalse();
        assertThat(h.backend("b1").core.inFlight()).isZero();
        assertThat(h.backend("b1").core.failed()).as("losing a hedge is slowness, not failure").isZero();
        assertThat(h.backend("b1").core.latencies().percentileNanos(0.5))
                .as("it counts at what it had waited").isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(h.cluster.budget().retriesInFlight()).isZero();
    }

    @Test
    void noHedgeWhenTheFirstTryAnswersInTime() {
        RequestPathHarness h = RequestPathHarness.start(2, b -> b.retries(new RetryPolicy(3,
                StatusCodes.GATEWAY_ERRORS, 0.2, 10, new Hedging(true, Optional.of(Duration.ofMillis(50)),
                        Duration.ofMillis(20)))));

        h.get("/");
        h.advanceMillis(10);
        h.backend("b1").last().respond(200, "b1");
        h.advanceMillis(100);

        assertThat(h.answer().body()).isEqualTo("b1");
        assertThat(h.backend("b2").connections).isEmpty();
    }

    // ---- timeouts -----------------------------------------------------------------------------------------

    @Test
    void theHeadTimeoutOfATryStrikesAfterExactlyThePerTryTimeout() {
        RequestPathHarness h = RequestPathHarness.start(1);

        h.get("/");
        h.backend("b1").last().request();
        h.advanceMillis(999);
        assertThat(h.received()).isEmpty();
        h.advanceMillis(1);

        Answer answer = h.answer();
        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.body()).contains("backend_timeout").contains("b1 did not answer in time");
        assertThat(h.backend("b1").last().isOpen()).isFalse();
        assertThat(h.backend("b1").core.failed()).as("a timeout is slowness, not failure").isZero();
    }

    // ---- slow and streaming responses with the default timeouts --------------------------------------------

    @Test
    void aTwoSecondEndpointIsAnsweredWithTheDefaults() {
        RequestPathHarness h = RequestPathHarness.start(2, b -> b.timeouts(Timeouts.DEFAULTS));

        h.get("/slow");
        h.advance(Duration.ofSeconds(2));
        h.backend("b1").last().respond(200, "finally");

        assertThat(h.answer().body()).isEqualTo("finally");
        assertThat(h.backend("b2").connections).isEmpty();
        assertThat(h.backend("b1").core.failed()).isZero();
    }

    @Test
    void serverSentEventsAreRelayedAsTheyComeAndNeverHeld() {
        RequestPathHarness h = RequestPathHarness.start(1, b -> b.timeouts(Timeouts.DEFAULTS));

        h.get("/events");
        FakeConnection b1 = h.backend("b1").last();
        HttpResponse head = new DefaultHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        b1.channel.writeInbound(head);
        h.settle();
        assertThat(h.received()).as("the head goes out at once").hasSize(1);
        for (int i = 0; i < 5; i++) {
            h.advanceMillis(500);
            b1.piece("data: " + i + "\n\n", false);
            List<Object> event = h.received();
            assertThat(event).as("event " + i + " is relayed as it comes").hasSize(1);
            event.forEach(ReferenceCountUtil::release);
        }
        b1.piece("", true);

        assertThat(h.received()).hasSize(1);
        assertThat(h.backend("b1").core.succeeded()).isOne();
    }

    @Test
    void aSmallResponseIsHeldOnlyBrieflyThenRelayedAsItComes() {
        RequestPathHarness h = RequestPathHarness.start(2, b -> b.timeouts(Timeouts.DEFAULTS));

        h.get("/");
        FakeConnection b1 = h.backend("b1").last();
        b1.head(200, 10);
        b1.piece("first", false);
        h.advanceMillis(199);
        assertThat(h.received()).as("held while it may still complete").isEmpty();
        h.advanceMillis(1);
        List<Object> relayed = h.received();
        assertThat(relayed).as("after the hold time: head and what came").hasSize(2);
        relayed.forEach(ReferenceCountUtil::release);
        h.advance(Duration.ofSeconds(5));
        b1.piece("-last", true);

        List<Object> rest = h.received();
        assertThat(rest).hasSize(1).first().isInstanceOf(LastHttpContent.class);
        rest.forEach(ReferenceCountUtil::release);
        assertThat(h.backend("b2").connections).as("slow is not broken: no retry").isEmpty();
        assertThat(h.backend("b1").core.succeeded()).isOne();
    }

    @Test
    void aStreamPausingForLessThanTheResponseIdleLimitIsRelayedWhole() {
        RequestPathHarness h = RequestPathHarness.start(1, b -> b.timeouts(Timeouts.DEFAULTS));

        h.get("/download");
        FakeConnection b1 = h.backend("b1").last();
        b1.head(200, 300_000);
        for (int i = 0; i < 3; i++) {
            b1.piece("x".repeat(100_000), i == 2);
            h.received().forEach(ReferenceCountUtil::release);
            if (i < 2) {
                h.advance(Duration.ofMillis(1500));
            }
        }

        assertThat(h.client.isOpen()).isTrue();
        assertThat(h.connection.state()).isEqualTo(ClientState.IDLE);
        assertThat(h.backend("b1").core.succeeded()).isOne();
    }

    @Test
    void theRequestTimeoutCoversEveryTry() {
        RequestPathHarness h = RequestPathHarness.start(2, b -> b.timeouts(io.healthyproxy.http.config.Timeouts.builder()
                .perTry(Duration.ofMillis(600)).request(Duration.ofSeconds(1)).clientIdle(Duration.ofSeconds(30))
                .build()));

        h.get("/");
        h.advanceMillis(600);                     // b1's try times out; b2 is tried
        FakeConnection second = h.backend("b2").last();
        h.advanceMillis(399);
        assertThat(h.received()).isEmpty();
        h.advanceMillis(1);                       // 1 s in all: the request's own deadline

        Answer answer = h.answer();
        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.body()).contains("request_timeout");
        assertThat(second.isOpen()).isFalse();
        assertThat(h.backends.values()).as("slowness is not failure: no breaker hears of it").allSatisfy(b -> {
            assertThat(b.core.failed()).isZero();
            assertThat(b.core.latencies().count()).as("but it counts in the comparison with the peers").isOne();
        });
    }

    // ---- failures mid-response ---------------------------------------------------------------------------

    @Test
    void aBackendBreakingOffAHeldResponseCostsOnlyARetry() {
        RequestPathHarness h = RequestPathHarness.start(2);

        h.get("/");
        FakeConnection b1 = h.backend("b1").last();
        b1.head(200, 10);
        b1.piece("half", false);
        assertThat(h.received()).as("a small response to a GET is held until complete").isEmpty();
        b1.reset();
        h.backend("b2").last().respond(200, "whole");

        Answer answer = h.answer();
        assertThat(answer.body()).isEqualTo("whole");
        assertThat(answer.complete()).isTrue();
        assertThat(h.backend("b1").consecutiveFailures()).isOne();
    }

    @Test
    void aBackendBreakingOffARelayedResponseClosesTheClientsConnection() {
        RequestPathHarness h = RequestPathHarness.start(2);

        h.post("/orders", "{}");                  // cannot be repeated: relayed as it arrives
        FakeConnection b1 = h.backend("b1").last();
        b1.head(200, 10);
        b1.piece("half", false);
        List<Object> relayed = h.received();
        assertThat(relayed).hasSize(2);
        relayed.forEach(ReferenceCountUtil::release);
        b1.reset();

        assertThat(h.client.isOpen()).as("the answer cannot be completed honestly").isFalse();
        assertThat(h.backend("b1").consecutiveFailures()).isOne();
        assertThat(h.backend("b2").connections).isEmpty();
    }

    @Test
    void aBackendGoingSilentMidResponseIsGivenUpAfterTheIdleLimit() {
        RequestPathHarness h = RequestPathHarness.start(1);

        h.post("/orders", "{}");
        FakeConnection b1 = h.backend("b1").last();
        b1.head(200, 10);
        h.received().forEach(ReferenceCountUtil::release);
        h.advanceMillis(999);
        assertThat(h.client.isOpen()).isTrue();
        h.advanceMillis(1);

        assertThat(h.client.isOpen()).isFalse();
        assertThat(b1.isOpen()).isFalse();
        assertThat(h.backend("b1").core.failed()).isOne();
    }

    // ---- the client going away -----------------------------------------------------------------------------

    @Test
    void aClientGoingAwayMidRequestCallsTheTryOffWithoutBlamingTheBackend() {
        RequestPathHarness h = RequestPathHarness.start(1);
        HttpRequest upload = RequestPathHarness.head(HttpMethod.PUT, "/big");
        upload.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 1_000_000);   // over the buffer: streamed

        h.send(upload);
        h.send(new DefaultHttpContent(Unpooled.copiedBuffer("some", StandardCharsets.US_ASCII)));
        FakeConnection b1 = h.backend("b1").last();
        assertThat(b1.request().method()).isEqualTo(HttpMethod.PUT);
        h.client.close();
        h.settle();

        assertThat(b1.isOpen()).isFalse();
        assertThat(h.backend("b1").core.failed()).isZero();
        assertThat(h.backend("b1").core.inFlight()).isZero();
        assertThat(h.proxy.activeExchanges()).isZero();
    }

    @Test
    void aClientGoingAwayMidResponseCallsTheTryOffWithoutBlamingTheBackend() {
        RequestPathHarness h = RequestPathHarness.start(1);

        h.post("/orders", "{}");
        FakeConnection b1 = h.backend("b1").last();
        b1.head(200, 100);
        h.client.close();
        h.settle();

        assertThat(b1.isOpen()).isFalse();
        assertThat(h.backend("b1").core.failed()).isZero();
        assertThat(h.backend("b1").core.succeeded()).isZero();
        assertThat(h.backend("b1").core.inFlight()).isZero();
    }

    // ---- back-pressure -----------------------------------------------------------------------------------

    @Test
    void aStreamedBodyIsReadFromTheClientOnlyAsFastAsTheBackendTakesIt() {
        RequestPathHarness h = RequestPathHarness.start(1);
        h.backend("b1").holdWrites = true;
        HttpRequest upload = RequestPathHarness.head(HttpMethod.PUT, "/big");
        upload.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 200_000);

        h.send(upload);
        FakeConnection b1 = h.backend("b1").last();
        h.send(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[100_000])));
        h.send(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[100_000])));
        assertThat(b1.writes.heldCount()).as("the head and the first piece; the second waits for them").isEqualTo(2);

        b1.completeWrites();
        assertThat(b1.writes.heldCount()).as("the first piece reached the backend: the second follows").isOne();
        b1.completeWrites();
        List<Object> sent = b1.sent();
        long bytes = sent.stream().filter(o -> o instanceof HttpContent).mapToLong(o ->
                ((HttpContent) o).content().readableBytes()).sum();
        sent.forEach(ReferenceCountUtil::release);
        assertThat(bytes).isEqualTo(200_000);
        b1.respond(200, "stored");
        assertThat(h.answer().body()).isEqualTo("stored");
    }

    @Test
    void aResponseIsReadFromTheBackendOnlyAsFastAsTheClientTakesIt() {
        RequestPathHarness h = RequestPathHarness.start(1);

        h.post("/orders", "{}");
        FakeConnection b1 = h.backend("b1").last();
        b1.head(200, 8);
        h.clientWritable(false);
        b1.piece("part", false);
        int readsWhileFull = b1.reads.count;
        b1.piece("more", false);
        assertThat(b1.reads.count).as("no read while the client is full").isEqualTo(readsWhileFull);

        h.clientWritable(true);
        assertThat(b1.reads.count).as("reading resumes once it drained").isGreaterThan(readsWhileFull);
    }

    @Test
    void aClientThatTakesNothingForTheIdleTimeoutIsDroppedWithoutBlamingTheBackend() {
        RequestPathHarness h = RequestPathHarness.start(1);

        h.post("/orders", "{}");
        FakeConnection b1 = h.backend("b1").last();
        b1.head(200, 8);
        h.clientWritable(false);
        b1.piece("part", false);
        h.advance(Duration.ofSeconds(29));
        assertThat(h.client.isOpen()).as("a paused backend is not a silent one").isTrue();
        h.advance(Duration.ofSeconds(1));

        assertThat(h.client.isOpen()).isFalse();
        assertThat(b1.isOpen()).as("the backend connection is freed").isFalse();
        assertThat(h.backend("b1").core.failed()).isZero();
    }

    // ---- request ids -----------------------------------------------------------------------------------------

    @Test
    void aRequestWithoutAnIdGetsOneWhichTheBackendAndTheClientBothSee() {
        RequestPathHarness h = RequestPathHarness.start(1);

        h.get("/");
        FakeConnection b1 = h.backend("b1").last();
        String sent = b1.request().headers().get("X-Request-Id");
        b1.respond(200, "ok");

        assertThat(sent).matches("[0-9a-f]{32}");
        assertThat(h.answer().head().headers().get("X-Request-Id")).isEqualTo(sent);
    }

    @Test
    void eachRequestGetsItsOwnId() {
        RequestPathHarness h = RequestPathHarness.start(1);
        h.get("/1");
        h.backend("b1").last().respond(200, "one");
        String first = h.answer().head().headers().get("X-Request-Id");

        h.get("/2");
        h.backend("b1").last().respond(200, "two");

        assertThat(h.answer().head().headers().get("X-Request-Id")).isNotEqualTo(first);
    }

    @Test
    void aValidIdFromTheClientIsKeptAndTheBackendsOwnIsReplacedByIt() {
        RequestPathHarness h = RequestPathHarness.start(1);
        HttpRequest head = RequestPathHarness.head(HttpMethod.GET, "/");
        head.headers().set("X-Request-Id", "f47ac10b-58cc-4372-a567-0e02b2c3d479");

        h.send(head);
        h.send(LastHttpContent.EMPTY_LAST_CONTENT);
        FakeConnection b1 = h.backend("b1").last();
        assertThat(b1.request().headers().getAll("X-Request-Id")).containsExactly("f47ac10b-58cc-4372-a567-0e02b2c3d479");
        HttpResponse answer = new DefaultHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        answer.headers().set("X-Request-Id", "the-backends-own").set(HttpHeaderNames.CONTENT_LENGTH, 0);
        b1.channel.writeInbound(answer, LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(h.answer().head().headers().getAll("X-Request-Id"))
                .containsExactly("f47ac10b-58cc-4372-a567-0e02b2c3d479");
    }

    static List<String> invalidIds() {
        return List.of("", "has space", "tab\there", "caf\u00c3\u00a9", "x".repeat(RequestId.MAX_LENGTH + 1));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidIds")
    void anInvalidIdFromTheClientIsReplaced(String invalid) {
        RequestPathHarness h = RequestPathHarness.start(1);
        HttpRequest head = RequestPathHarness.head(HttpMethod.GET, "/");
        head.headers().set("X-Request-Id", invalid);

        h.send(head);
        h.send(LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(h.backend("b1").last().request().headers().getAll("X-Request-Id")).singleElement()
                .satisfies(id -> assertThat(id).matches("[0-9a-f]{32}"));
    }

    @Test
    void twoIdsFromTheClientAreReplacedByOne() {
        RequestPathHarness h = RequestPathHarness.start(1);
        HttpRequest head = RequestPathHarness.head(HttpMethod.GET, "/");
        head.headers().add("X-Request-Id", "first").add("X-Request-Id", "second");

        h.send(head);
        h.send(LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(h.backend("b1").last().request().headers().getAll("X-Request-Id")).singleElement()
                .satisfies(id -> assertThat(id).matches("[0-9a-f]{32}"));
    }

    @Test
    void aProxyMadeErrorNamesTheRequestInItsBodyAndHeader() {
        RequestPathHarness h = RequestPathHarness.start(2);
        h.backend("b1").thenConnect(Connect.REFUSE);
        h.backend("b2").thenConnect(Connect.REFUSE);
        HttpRequest head = RequestPathHarness.head(HttpMethod.GET, "/");
        head.headers().set("X-Request-Id", "req-42");

        h.send(head);
        h.send(LastHttpContent.EMPTY_LAST_CONTENT);

        Answer answer = h.answer();
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).startsWith("{\"status\":502,\"error\":\"backend_unreachable\",")
                .endsWith(",\"requestId\":\"req-42\"}\n");
        assertThat(answer.head().headers().get("X-Request-Id")).isEqualTo("req-42");
    }

    // ---- keep-alive -----------------------------------------------------------------------------------------

    @Test
    void aKeepAliveConnectionServesTheNextRequestAndReusesTheBackendConnection() {
        RequestPathHarness h = RequestPathHarness.start(1);

        h.get("/one");
        h.backend("b1").last().request();
        h.backend("b1").last().respond(200, "one");
        assertThat(h.answer().body()).isEqualTo("one");
        h.get("/two");
        FakeConnection reused = h.backend("b1").last();
        HttpRequest second = (HttpRequest) reused.sent().stream().filter(o -> o instanceof HttpRequest).findFirst()
                .orElseThrow();
        reused.respond(200, "two");

        assertThat(second.uri()).isEqualTo("/two");
        assertThat(h.backend("b1").connections).as("one backend connection for both").hasSize(1);
        assertThat(h.answer().body()).isEqualTo("two");
        assertThat(h.connection.state()).isEqualTo(ClientState.IDLE);
    }

    @Test
    void anIdleClientConnectionIsClosedAfterTheIdleTimeout() {
        RequestPathHarness h = RequestPathHarness.start(1);

        h.advance(Duration.ofSeconds(29));
        assertThat(h.client.isOpen()).isTrue();
        h.advance(Duration.ofSeconds(1));

        assertThat(h.client.isOpen()).isFalse();
        assertThat(h.connection.state()).isEqualTo(ClientState.CLOSED);
    }

    static HttpResponse headOf(List<Object> parts) {
        return (HttpResponse) parts.stream().filter(o -> o instanceof HttpResponse).findFirst().orElseThrow();
    }
}
