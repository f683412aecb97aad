package io.healthyproxy.http.internal.h1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How a request's body is framed, RFC 9112 §6, and what the decoder refuses about it. */
class RequestFramingTest {

    private static final String POST = "POST /orders HTTP/1.1\r\nHost: x\r\n";

    private static Throwable failureOf(String request) {
        Decoding d = Decoding.request(request);
        Throwable failure = d.failure();
        d.release();
        return failure;
    }

    @Test
    void rfc9112s6_3_aContentLengthBodyEndsInALastContentAfterExactlyThatManyBytes() {
        Decoding d = Decoding.request(POST + "Content-Length: 5\r\n\r\nhello" + "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(d.kinds()).containsExactly("head", "last", "head", "last");
        assertThat(d.bodies()).containsExactly("hello", "");
        d.release();
    }

    @Test
    void aBodyLargerThanAPieceArrivesInPiecesOfAtMostThatSize() {
        Decoding d = Decoding.requests(new DecoderLimits(1024, 1024, 4))
                .feed(POST + "Content-Length: 10\r\n\r\n0123456789");

        assertThat(d.kinds()).containsExactly("head", "piece", "piece", "last");
        assertThat(d.bodies()).containsExactly("0123456789");
        d.release();
    }

    @Test
    void bodyPiecesAreSlicesOfTheBytesReadNotCopies() {
        byte[] bytes = (POST + "Content-Length: 5\r\n\r\nhello").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf read = Unpooled.wrappedBuffer(bytes);
        Decoding d = Decoding.requests();

        d.channel.writeInbound(read);
        HttpRequest head = d.channel.readInbound();
        LastHttpContent body = d.channel.readInbound();

        assertThat(head).isNotNull();
        assertThat(body.content().hasArray()).isTrue();
        assertThat(body.content().array()).as("the same memory").isSameAs(bytes);
        body.release();
        d.release();
    }

    @Test
    void aBodyArrivingInSeveralReadsIsHandedOnAsItArrives() {
        Decoding d = Decoding.requests().feed(POST + "Content-Length: 10\r\n\r\nabc");

        assertThat(d.kinds()).containsExactly("head", "piece");
        d.feed("defg").feed("hij");
        assertThat(d.kinds()).containsExactly("head", "piece", "piece", "last");
        assertThat(d.bodies()).containsExactly("abcdefghij");
        d.release();
    }

    @Test
    void aRequestWithoutContentLengthOrTransferEncodingHasNoBody() {
        Decoding d = Decoding.request(POST + "\r\n");

        assertThat(d.kinds()).containsExactly("head", "last");
        assertThat(d.messages.get(1)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        d.release();
    }

    @Test
    void aZeroContentLengthIsAnEmptyBody() {
        Decoding d = Decoding.request(POST + "Content-Length: 0\r\n\r\n");

        assertThat(d.kinds()).containsExactly("head", "last");
        d.release();
    }

    @Test
    void pipelinedRequestsAreDecodedInTurn() {
        Decoding d = Decoding.request("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(d.kinds()).containsExactly("head", "last", "head", "last");
        assertThat(((HttpRequest) d.messages.get(2)).uri()).isEqualTo("/2");
        d.release();
    }

    @Test
    void rfc9112s6_1_transferEncodingWithContentLengthIs400InEitherOrder() {
        assertThat(failureOf(POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("both");
        assertThat(failureOf(POST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("both");
    }

    @Test
    void rfc9112s6_1_transferEncodingInHttp1_0Is400() {
        assertThat(failureOf("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("HTTP/1.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "deflate,chunked", "gzip;q=1, br, chunked"})
    void rfc9112s6_1_codingsBeforeAFinalChunkedAre501NotImplemented(String codings) {
        assertThat(failureOf(POST + "Transfer-Encoding: " + codings + "\r\n\r\n0\r\n\r\n"))
                .isInstanceOf(UnsupportedCodingException.class);
    }

    @Test
    void rfc9112s6_1_codingsOverSeveralLinesAreOneList() {
        assertThat(failureOf(POST + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
                .isInstanceOf(UnsupportedCodingException.class);
        assertThat(failureOf(POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
                .as("chunked twice").isInstanceOf(MalformedMessageException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "identity", "xchunked", "chunkedx", "chunked;q=1", "chunked, identity",
        "chunked, chunked", "chunked, gzip", ", chunked", "chunked,", "chunked,,", "", "\"chunked\""})
    void rfc9112s6_3_aFinalCodingOtherThanChunkedOrChunkedNotLastIs400(String codings) {
        assertThat(failureOf(POST + "Transfer-Encoding: " + codings + "\r\n\r\n0\r\n\r\n")).as(codings)
                .isInstanceOf(MalformedMessageException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked", "Chunked", "CHUNKED", " chunked "})
    void chunkedInAnyCaseIsChunked(String coding) {
        Decoding d = Decoding.request(POST + "Transfer-Encoding:" + coding + "\r\n\r\n3\r\nabc\r\n0\r\n\r\n");

        assertThat(d.failure()).isNull();
        assertThat(d.bodies()).containsExactly("abc");
        d.release();
    }

    @Test
    void rfc9110s8_6_severalContentLengthsAreRefusedEvenEqualOnes() {
        assertThat(failureOf(POST + "Content-Length: 4\r\nContent-Length: 4\r\n\r\nbody"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("more than one");
        assertThat(failureOf(POST + "Content-Length: 4\r\nContent-Length: 40\r\n\r\nbody"))
                .isInstanceOf(MalformedMessageException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4, 4", "+4", "-4", "0x10", "4 4", "four", "1234567890123456789", "4;"})
    void rfc9110s8_6_aContentLengthThatIsNotDigitsIs400(String length) {
        assertThat(failureOf(POST + "Content-Length: " + length + "\r\n\r\nbody")).as(length)
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void aFramingRefusalIsReportedOnTheParsedHeadAndNothingAfterItIsDecoded() {
        Decoding d = Decoding.request(POST + "Content-Length: 4\r\nContent-Length: 40\r\n\r\nbody"
                + "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(d.kinds()).containsExactly("head");
        assertThat(d.head().uri()).isEqualTo("/orders");
        assertThat(d.head().decoderResult().isFailure()).isTrue();
        d.feed("GET /later HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(d.kinds()).as("a refused connection decodes nothing more").containsExactly("head");
        d.release();
    }

    @Test
    void aLongDeclaredBodyIsNotARefusalOfTheDecoders() {
        // Too large is the proxy's call (413, RequestChecks), made on the head before any of the body is read.
        Decoding d = Decoding.request(POST + "Content-Length: 999999999999999999\r\n\r\nabc");

        assertThat(d.failure()).isNull();
        assertThat(d.kinds()).containsExactly("head", "piece");
        d.release();
    }
}
