package io.healthyproxy.http.internal.h1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * {@link WireHeaders} must behave as Netty's {@code DefaultHttpHeaders} to everything that uses headers: the
 * same random operations on both, from the same decoded head, must give the same answers.
 */
class WireHeadersTest {

    private static final String HEAD = "GET / HTTP/1.1\r\nHost: shop.example\r\nConnection: keep-alive, X-Hop\r\n"
            + "X-Hop: secret\r\nAccept: */*\r\ncontent-length: 12\r\nX-Forwarded-For: 203.0.113.9\r\n"
            + "X-List: a, b ,c\r\nX-Empty:\r\nX-Obs: caf\u00c3\u00a9\r\n\r\n";

    private static final List<CharSequence> NAMES = List.of("host", "HOST", HttpHeaderNames.CONNECTION, "x-hop",
            "Accept", "Content-Length", "x-forwarded-for", "X-List", "x-empty", "X-Obs", "X-New", AsciiString.of("x-new"),
            HttpHeaderNames.TRANSFER_ENCODING, "Expect");
    private static final List<Object> VALUES = List.of("v", "close", "Keep-Alive", "chunked", "a,b", " spaced ", "",
            42, AsciiString.of("ascii"), "100-continue", new Date(0));

    private static WireHeaders decoded() {
        Decoding d = Decoding.request(HEAD);
        WireHeaders headers = (WireHeaders) d.head().headers();
        d.release();
        return headers;
    }

    private static HttpHeaders netty() {
        HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        for (String line : HEAD.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                h.add(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return h;
    }

    @RepeatedTest(20)
    void randomOperationsGiveTheAnswersNettysHeadersGive(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        HttpHeaders ours = decoded();
        HttpHeaders netty = netty();
        for (int step = 0; step < 200; step++) {
            CharSequence name = NAMES.get(random.nextInt(NAMES.size()));
            Object value = VALUES.get(random.nextInt(VALUES.size()));
            String op = switch (random.nextInt(8)) {
                case 0 -> { ours.add(name, value); netty.add(name, value); yield "add"; }
                case 1 -> { ours.set(name, value); netty.set(name, value); yield "set"; }
                case 2 -> { ours.remove(name); netty.remove(name); yield "remove"; }
                case 3 -> { ours.addInt(name, step); netty.addInt(name, step); yield "addInt"; }
                case 4 -> { ours.set(name, List.of("x", value)); netty.set(name, List.of("x", value)); yield "setAll"; }
                default -> "read";
            };
            String at = "seed " + repetition.getCurrentRepetition() + " step " + step + " " + op + " " + name;
            assertThat(ours.get(name)).as(at).isEqualTo(netty.get(name));
            assertThat(ours.getAll(name)).as(at).isEqualTo(netty.getAll(name));
            assertThat(ours.contains(name)).as(at).isEqualTo(netty.contains(name));
            assertThat(ours.getInt(name)).as(at).isEqualTo(netty.getInt(name));
            for (CharSequence v : List.of("close", "keep-alive", "Keep-Alive", "chunked", "a", "b", "c", "x-hop", "spaced", "",
                    "100-continue", AsciiString.of("ascii"))) {
                assertThat(ours.containsValue(name, v, true)).as(at + " ~ " + v).isEqualTo(netty.containsValue(name, v, true));
                assertThat(ours.containsValue(name, v, false)).as(at + " ~~ " + v).isEqualTo(netty.containsValue(name, v, false));
                assertThat(ours.contains(name, v, true)).as(at + " = " + v).isEqualTo(netty.contains(name, v, true));
                assertThat(ours.contains(name, v, false)).as(at + " == " + v).isEqualTo(netty.contains(name, v, false));
            }
            assertThat(ours.size()).as(at).isEqualTo(netty.size());
            assertThat(text(ours)).as(at).isEqualTo(text(netty));
        }
        assertThat(text(ours.copy())).isEqualTo(text(netty));
    }

    private static List<String> text(HttpHeaders headers) {
        List<String> fields = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> e : (Iterable<Map.Entry<CharSequence, CharSequence>>)
                headers::iteratorCharSequence) {
            fields.add(e.getKey().toString().toLowerCase(java.util.Locale.ROOT) + ": " + e.getValue());
        }
        List<String> strings = headers.entries().stream()
                .map(e -> e.getKey().toLowerCase(java.util.Locale.ROOT) + ": " + e.getValue()).toList();
        assertThat(strings).isEqualTo(fields);
        return fields;
    }

    /**
     * containsValue compares values as they came, in place (it decides framing and keep-alive: chunked? close?),
     * so every way a list may be written must give Netty's answer: case, empty elements, spaces and tabs around
     * and inside, a value that only starts or ends like the element, the element split over two lines.
     */
    @Test
    void listedValuesReadInPlaceGiveNettysAnswers() {
        String head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: Keep-Alive,, \t close \t\r\n"
                + "X-A: chunkedx, xchunked,chun ked\r\nX-A: ,\r\nX-B: \r\nX-C: CLOSE\r\nX-C: keep-alive , upgrade\r\n"
                + "X-D: a\tb, close,keep-alive\r\n\r\n";
        Decoding d = Decoding.request(head);
        HttpHeaders ours = d.head().headers();
        HttpHeaders netty = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                netty.add(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        d.release();
        for (String name : List.of("transfer-encoding", "Connection", "x-a", "X-B", "x-c", "x-d", "absent")) {
            for (String v : List.of("chunked", "Chunked", "close", "keep-alive", "KEEP-ALIVE", "upgrade", "", "a\tb", "chun ked",
                    "a", "b")) {
                for (boolean ignoreCase : new boolean[] {true, false}) {
                    assertThat(ours.containsValue(name, v, ignoreCase)).as(name + " lists " + v + (ignoreCase ? " (any case)" : ""))
                            .isEqualTo(netty.containsValue(name, v, ignoreCase));
                }
            }
        }
        assertThat(ours.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)).isTrue();
        assertThat(ours.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)).isTrue();
    }

    @Test
    void decodedValuesAreKeptAsBytesAndGivenAsOneCharPerByte() {
        WireHeaders h = decoded();

        assertThat(h.get("x-obs")).isEqualTo("caf\u00c3\u00a9");
        assertThat(h.get("x-empty")).isEmpty();
        assertThat(h.isWire(0)).isTrue();
        h.set("Host", "other.example");
        assertThat(h.isWire(h.size() - 1)).as("a value set by the proxy").isFalse();
    }

    @Test
    void nettysHelpersReadThemAsTheyReadNettysHeaders() {
        HttpHeaders h = decoded();

        assertThat(h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE, true)).isTrue();
        assertThat(h.getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(12);
        assertThat(h.names()).contains("Host", "Connection", "content-length");
        assertThat(h.toString()).contains("Host: shop.example");
    }
}
