package io.healthyproxy.http.internal.h1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Header field lines, RFC 9112 §5 and RFC 9110 §5.5, as {@link RequestDecoder} reads them. */
class FieldLinesTest {

    private static HttpHeaders headersOf(String fieldLines) {
        Decoding d = Decoding.request("GET / HTTP/1.1\r\n" + fieldLines + "\r\n");
        assertThat(d.failure()).isNull();
        HttpHeaders headers = d.head().headers();
        d.release();
        return headers;
    }

    private static Throwable failureOf(String fieldLines) {
        Decoding d = Decoding.request("GET / HTTP/1.1\r\n" + fieldLines + "\r\n");
        Throwable failure = d.failure();
        d.release();
        return failure;
    }

    @Test
    void namesKeepTheirCaseValuesTheirBytesAndFieldsTheirOrder() {
        HttpHeaders h = headersOf("Host: x\r\nX-Custom-THING: a\r\nx-custom-thing: b\r\nACCEPT: */*\r\n");

        assertThat(h.entries()).extracting(Map.Entry::getKey)
                .containsExactly("Host", "X-Custom-THING", "x-custom-thing", "ACCEPT");
        assertThat(h.getAll("X-CUSTOM-thing")).containsExactly("a", "b");
        assertThat(h.get(HttpHeaderNames.ACCEPT)).isEqualTo("*/*");
    }

    @Test
    void knownNamesSpeltTheUsualWayOrInLowerCaseAreSharedConstantsAndOtherSpellingsKept() {
        HttpHeaders first = headersOf("Host: x\r\nuser-agent: curl\r\nCONTENT-type: text/plain\r\n");
        HttpHeaders again = headersOf("Host: y\r\nuser-agent: wget\r\nCONTENT-type: text/html\r\n");

        List<CharSequence> names = names(first);
        assertThat(names).extracting(CharSequence::toString).containsExactly("Host", "user-agent", "CONTENT-type");
        assertThat(names(again).get(0)).isSameAs(names.get(0));
        assertThat(names(again).get(1)).isSameAs(names.get(1));
        assertThat(names(again).get(2)).as("an unusual spelling is a copy").isNotSameAs(names.get(2));
        assertThat(first.get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain");
    }

    private static List<CharSequence> names(HttpHeaders headers) {
        List<CharSequence> names = new java.util.ArrayList<>();
        headers.iteratorCharSequence().forEachRemaining(e -> names.add(e.getKey()));
        return names;
    }

    @Test
    void rfc9112s5_1_optionalWhitespaceAroundAValueIsTrimmedAndInsideItKept() {
        HttpHeaders h = headersOf("Host: x\r\nX-A:  \t one \t two\t \r\nX-B:\r\nX-C:   \r\nX-D:v\r\n");

        assertThat(h.get("X-A")).isEqualTo("one \t two");
        assertThat(h.get("X-B")).isEmpty();
        assertThat(h.get("X-C")).isEmpty();
        assertThat(h.get("X-D")).isEqualTo("v");
    }

    @Test
    void rfc9110s5_5_obsTextInAValueIsKeptByteForByte() {
        HttpHeaders h = headersOf("Host: x\r\nX-Name: Jos\u00c3\u00a9 \u00ff\r\n");

        assertThat(h.get("X-Name")).isEqualTo("Jos\u00c3\u00a9 \u00ff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host : x", "Host\t: x", "Ho st: x", "Host(x): y", "Host x", ": x", "Höst: x", "Host"})
    void rfc9112s5_1_aNameThatIsNotATokenDirectlyFollowedByTheColonIs400(String line) {
        assertThat(failureOf(line + "\r\n")).as(line).isInstanceOf(MalformedMessageException.class);
    }

    static IntStream controlBytesButTab() {
        return IntStream.concat(IntStream.rangeClosed(0x00, 0x1F).filter(b -> b != '\t'), IntStream.of(0x7F));
    }

    @ParameterizedTest(name = "0x{0}")
    @MethodSource("controlBytesButTab")
    void rfc9110s5_5_aControlByteInAValueIs400(int control) {
        // CR and LF included: a bare CR is never a line end, and a bare LF ends no line of ours.
        assertThat(failureOf("Host: x\r\nX-A: a" + (char) control + "b\r\n")).isInstanceOf(MalformedMessageException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\t"})
    void rfc9112s5_2_obsFoldIs400NotUnfolded(String fold) {
        assertThat(failureOf("Host: x\r\nX-Folded: one\r\n" + fold + "two\r\n"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("obs-fold");
    }

    @Test
    void rfc9112s2_2_whitespaceBeforeTheFirstFieldIs400() {
        assertThat(failureOf(" Host: x\r\n")).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void rfc9112s2_2_aFieldLineEndingInABareLfIs400() {
        assertThat(failureOf("Host: x\nX-A: b\r\n")).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("bare LF");
        assertThat(failureOf("Host: x\r\n\n")).as("a bare LF as the empty line").isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void headerFieldsAtTheSizeLimitPassAndOneByteMoreIs431() {
        DecoderLimits limits = new DecoderLimits(1024, 100, 1024);
        // Counted as Netty counts: each line's bytes without its CRLF.
        String atLimit = "Host: x\r\nX-Fill: " + "f".repeat(100 - "Host: x".length() - "X-Fill: ".length()) + "\r\n";
        String over = "Host: x\r\nX-Fill: " + "f".repeat(101 - "Host: x".length() - "X-Fill: ".length()) + "\r\n";

        Decoding ok = Decoding.requests(limits).feed("GET / HTTP/1.1\r\n" + atLimit + "\r\n");
        Decoding tooBig = Decoding.requests(limits).feed("GET / HTTP/1.1\r\n" + over + "\r\n");
        Decoding neverEnding = Decoding.requests(limits).feed("GET / HTTP/1.1\r\nX-Big: " + "b".repeat(200));

        assertThat(ok.failure()).isNull();
        assertThat(tooBig.failure()).isInstanceOf(TooLongHttpHeaderException.class);
        assertThat(neverEnding.failure()).as("fails before the line ends").isInstanceOf(TooLongHttpHeaderException.class);
        ok.release();
        tooBig.release();
        neverEnding.release();
    }

    @Test
    void aHeadWithAHundredFieldsKeepsThemAll() {
        StringBuilder lines = new StringBuilder("Host: x\r\n");
        for (int i = 0; i < 100; i++) {
            lines.append("X-H").append(i).append(": v").append(i).append("\r\n");
        }

        HttpHeaders h = headersOf(lines.toString());

        assertThat(h.size()).isEqualTo(101);
        assertThat(h.get("x-h99")).isEqualTo("v99");
    }
}
