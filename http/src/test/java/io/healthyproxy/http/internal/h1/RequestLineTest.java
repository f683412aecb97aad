package io.healthyproxy.http.internal.h1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The request line, RFC 9112 §3 (and §2.2, §2.3), as {@link RequestDecoder} reads it. */
class RequestLineTest {

    private static final String BROWSER_GET = "GET /search?q=proxy HTTP/1.1\r\nHost: shop.example\r\n"
            + "User-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n";

    @Test
    void anOrdinaryGetIsAHeadAndAnEmptyLastContentAsNettyEmitsIt() {
        Decoding d = Decoding.request(BROWSER_GET);

        HttpRequest head = d.head();
        assertThat(head.method()).isSameAs(HttpMethod.GET);
        assertThat(head.uri()).isEqualTo("/search?q=proxy");
        assertThat(head.protocolVersion()).isSameAs(HttpVersion.HTTP_1_1);
        assertThat(head.decoderResult().isSuccess()).isTrue();
        assertThat(d.messages).hasSize(2).element(1).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        d.release();
    }

    @Test
    void aHeadArrivingOneByteAtATimeOrInAHeapBufferDecodesTheSame() {
        Decoding dribbled = Decoding.requests().feedByteByByte(BROWSER_GET);
        Decoding heap = Decoding.requests().feedHeap(BROWSER_GET);

        for (Decoding d : new Decoding[] {dribbled, heap}) {
            assertThat(d.kinds()).containsExactly("head", "last");
            assertThat(d.head().uri()).isEqualTo("/search?q=proxy");
            assertThat(d.head().headers().get("user-agent")).isEqualTo("Mozilla/5.0");
            d.release();
        }
    }

    @Test
    void rfc9112s3_targetBytesFrom0x80To0xFFAreKeptExactlyOneCharPerByte() {
        // "/café.txt" in UTF-8: é is C3 A9. The uri holds the bytes as chars, for the encoder to write back.
        Decoding d = Decoding.request("GET /caf\u00c3\u00a9.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(d.head().uri()).isEqualTo("/caf\u00c3\u00a9.txt").hasSize(10);
        d.release();
    }

    static IntStream controlBytes() {
        return IntStream.concat(IntStream.rangeClosed(0x00, 0x1F), IntStream.of(0x7F));
    }

    @ParameterizedTest(name = "0x{0}")
    @MethodSource("controlBytes")
    void rfc9112s3_2_aControlByteInTheTargetIs400(int control) {
        Decoding d = Decoding.request("GET /a" + (char) control + "b HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(d.failure()).isInstanceOf(MalformedMessageException.class);
        d.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /a b HTTP/1.1",        // a space inside the target
        "GET  / HTTP/1.1",          // two spaces after the method
        "GET /  HTTP/1.1",          // two spaces before the version
        "GET\t/ HTTP/1.1",          // a tab is not the SP
        " GET / HTTP/1.1",          // no method
        "GE(T / HTTP/1.1",          // not a token
        "GET / HTTP/1.1 ",          // something after the version
        "GET /",                    // HTTP/0.9: no version
        "GET / HTTP/1.1\r",         // a CR that ends nothing (the line then ends in CR CR LF)
        "GET / http/1.1",           // HTTP-name is case-sensitive
        "GET / HTTP/11",
        "GET / HTTP/1.1x",
        "GET / HTTPS/1.1"})
    void rfc9112s3_aMalformedRequestLineIs400(String line) {
        Decoding d = Decoding.request(line + "\r\nHost: x\r\n\r\n");

        assertThat(d.failure()).as(line).isInstanceOf(MalformedMessageException.class);
        assertThat(d.head().uri()).as("reported on a placeholder head").isEqualTo("/bad-request");
        d.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0"})
    void rfc9110s15_6_6_aWellFormedVersionOtherThan1_1Or1_0Is505(String version) {
        Decoding d = Decoding.request("GET / " + version + "\r\nHost: x\r\n\r\n");

        assertThat(d.failure()).isInstanceOf(UnsupportedVersionException.class).hasMessageContaining(version);
        d.release();
    }

    @Test
    void http1_0IsAccepted() {
        Decoding d = Decoding.request("GET / HTTP/1.0\r\n\r\n");

        assertThat(d.head().protocolVersion()).isSameAs(HttpVersion.HTTP_1_0);
        d.release();
    }

    @Test
    void rfc9112s2_2_aRequestLineEndingInABareLfIs400() {
        // A recipient MAY accept a bare LF; we do not (Netty's default too): see FieldParser for why.
        Decoding d = Decoding.request("GET / HTTP/1.1\nHost: x\r\n\r\n");

        assertThat(d.failure()).isInstanceOf(MalformedMessageException.class).hasMessageContaining("bare LF");
        d.release();
    }

    @Test
    void rfc9112s2_2_emptyLinesBeforeTheRequestLineAreIgnored() {
        Decoding d = Decoding.request("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(d.kinds()).containsExactly("head", "last");
        assertThat(d.failure()).isNull();
        d.release();
    }

    @Test
    void methodsAreCaseSensitiveAndUnknownOnesAreKept() {
        Decoding purge = Decoding.request("PURGE /x HTTP/1.1\r\nHost: x\r\n\r\n");
        Decoding lower = Decoding.request("get /x HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(purge.head().method().name()).isEqualTo("PURGE");
        assertThat(lower.head().method()).isNotEqualTo(HttpMethod.GET);
        assertThat(lower.head().method().name()).isEqualTo("get");
        purge.release();
        lower.release();
    }

    @Test
    void everyStandardMethodIsNettysConstant() {
        for (HttpMethod m : new HttpMethod[] {HttpMethod.GET, HttpMethod.PUT, HttpMethod.POST, HttpMethod.HEAD,
                HttpMethod.PATCH, HttpMethod.TRACE, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.CONNECT,
                HttpMethod.QUERY}) {
            Decoding d = Decoding.request(m.name() + " /x HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(d.head().method()).isSameAs(m);
            d.release();
        }
    }

    @Test
    void aRequestLineAtTheLimitPassesAndOneByteMoreIsTooLong() {
        DecoderLimits limits = new DecoderLimits(64, 1024, 1024);
        String atLimit = "GET /" + "a".repeat(64 - "GET / HTTP/1.1".length()) + " HTTP/1.1";
        String over = "GET /" + "a".repeat(65 - "GET / HTTP/1.1".length()) + " HTTP/1.1";

        Decoding ok = Decoding.requests(limits).feed(atLimit + "\r\nHost: x\r\n\r\n");
        Decoding tooLong = Decoding.requests(limits).feed(over + "\r\nHost: x\r\n\r\n");

        assertThat(ok.failure()).isNull();
        assertThat(tooLong.failure()).isInstanceOf(TooLongHttpLineException.class);
        ok.release();
        tooLong.release();
    }

    @Test
    void anOverlongRequestLineFailsBeforeItEnds() {
        Decoding d = Decoding.requests(new DecoderLimits(64, 1024, 1024)).feed("GET /" + "a".repeat(100));

        assertThat(d.failure()).isInstanceOf(TooLongHttpLineException.class);
        d.release();
    }
}
