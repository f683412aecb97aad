package io.healthyproxy.http.internal.h1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Chunked bodies, RFC 9112 §7.1, as {@link RequestDecoder} reads them (the response decoder shares the code). */
class ChunkedBodyTest {

    private static final String HEAD = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static Throwable failureOf(String body) {
        Decoding d = Decoding.request(HEAD + body);
        Throwable failure = d.failure();
        d.release();
        return failure;
    }

    @Test
    void chunksArePiecesAndTheLastChunkEndsTheBody() {
        Decoding d = Decoding.request(HEAD + "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");

        assertThat(d.kinds()).containsExactly("head", "piece", "piece", "last");
        assertThat(d.bodies()).containsExactly("hello, world");
        assertThat(d.messages.get(3)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        d.release();
    }

    @Test
    void rfc9112s7_1_2_trailerFieldsAreTheLastContentsTrailingHeaders() {
        Decoding d = Decoding.request(HEAD + "3\r\nabc\r\n0\r\nChecksum: abc123\r\nX-Done:  yes \r\n\r\n");

        LastHttpContent last = (LastHttpContent) d.messages.get(d.messages.size() - 1);
        assertThat(last.trailingHeaders().get("checksum")).isEqualTo("abc123");
        assertThat(last.trailingHeaders().get("X-Done")).isEqualTo("yes");
        assertThat(d.bodies()).containsExactly("abc");
        d.release();
    }

    @Test
    void aChunkedBodyArrivingOneByteAtATimeDecodesTheSame() {
        Decoding d = Decoding.requests().feedByteByByte(HEAD + "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nT: v\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(d.failure()).isNull();
        assertThat(d.bodies()).containsExactly("hello0123456789", "");
        LastHttpContent last = (LastHttpContent) d.messages.stream()
                .filter(m -> m instanceof LastHttpContent l && !l.trailingHeaders().isEmpty()).findFirst().orElseThrow();
        assertThat(last.trailingHeaders().get("T")).isEqualTo("v");
        d.release();
    }

    @Test
    void aChunkLargerThanAPieceArrivesInPieces() {
        Decoding d = Decoding.requests(new DecoderLimits(1024, 1024, 4)).feed(HEAD + "a\r\n0123456789\r\n0\r\n\r\n");

        assertThat(d.kinds()).containsExactly("head", "piece", "piece", "piece", "last");
        assertThat(d.bodies()).containsExactly("0123456789");
        d.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5;name=value", "5;name", "5 ;name", "5;a=\"quoted; value\";b", "00005", "0000000000000005"})
    void rfc9112s7_1_1_chunkExtensionsAndLeadingZerosAreAccepted(String line) {
        Decoding d = Decoding.request(HEAD + line + "\r\nhello\r\n0;last=yes\r\n\r\n");

        assertThat(d.failure()).as(line).isNull();
        assertThat(d.bodies()).containsExactly("hello");
        d.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "-5", "+5", "", " 5", "0x5", "5 x", "1ffffffffffffffff", "00000000000000005",
        "8000000000000000", "5;a\u0000b", "5;a\rb"})
    void rfc9112s7_1_aChunkSizeThatIsNotBoundedHexIs400(String line) {
        assertThat(failureOf(line + "\r\nhello\r\n0\r\n\r\n")).as(line).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void chunkExtensionsAreBoundedByTheLineLength() {
        String longExtension = "5;" + "e".repeat(ChunkLine.MAX_LENGTH);

        assertThat(failureOf(longExtension + "\r\nhello\r\n0\r\n\r\n")).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("longer than");
        assertThat(failureOf("5;" + "e".repeat(ChunkLine.MAX_LENGTH))).as("without waiting for the line's end")
                .isInstanceOf(MalformedMessageException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5\r\nhelloXX\r\n0\r\n\r\n", "5\r\nhello\n0\r\n\r\n", "5\r\nhello\r0\r\n\r\n",
        "5\nhello\r\n0\r\n\r\n", "5\r\nhello\r\n0\n\r\n"})
    void rfc9112s7_1_chunkDataMustBeFollowedByExactlyCrlfAndChunkLinesEndInCrlf(String body) {
        assertThat(failureOf(body)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void aBodyRefusalIsAFailedLastContentAfterTheHeadAndEndsDecoding() {
        Decoding d = Decoding.request(HEAD + "5\r\nhello\r\nnothex\r\n" + "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(d.kinds()).containsExactly("head", "piece", "last");
        assertThat(d.head().decoderResult().isSuccess()).isTrue();
        assertThat(((LastHttpContent) d.messages.get(2)).decoderResult().isFailure()).isTrue();
        d.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Folded: a\r\n b\r\n", "Bad Name: v\r\n", "X: a\u0000b\r\n", "X: v\n",
        "Content-Length: 5\r\n", "Transfer-Encoding: chunked\r\n"})
    void rfc9112s7_1_2_trailerFieldsFollowTheRulesOfHeaderFieldsAndMayNotFrame(String trailer) {
        assertThat(failureOf("3\r\nabc\r\n0\r\n" + trailer + "\r\n")).as(trailer).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void aTrailerSectionIsBoundedLikeTheHeaderFields() {
        Decoding d = Decoding.requests(new DecoderLimits(1024, 64, 1024))
                .feed(HEAD + "0\r\nX-Big: " + "b".repeat(100) + "\r\n\r\n");

        assertThat(d.failure()).isInstanceOf(TooLongHttpHeaderException.class);
        d.release();
    }
}
