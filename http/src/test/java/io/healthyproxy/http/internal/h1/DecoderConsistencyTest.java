package io.healthyproxy.http.internal.h1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Whatever the bytes, a decoder must make the same of them however they are cut into reads: the fast path
 * (a head found in a copy of one read, eight bytes at a time) and the slow one (a head followed through the
 * buffer as it arrives) must agree on every message, every field and every refusal. Seeded random damage to
 * a few requests, each decoded in one read and one byte per read.
 */
class DecoderConsistencyTest {

    private static final String[] SAMPLES = {
        "GET /a?b=c HTTP/1.1\r\nHost: x\r\nUser-Agent: Mozilla/5.0 (X11)\r\nAccept: */*\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nX-Obs: caf\u00c3\u00a9\r\n\r\nhello",
        "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\nT: v\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\nGET /2 HTTP/1.1\r\nHost: y\r\nConnection: close\r\n\r\n",
        // larger than the fast path's first look (1 KiB): a head with a big cookie, a head with a body behind it
        "GET / HTTP/1.1\r\nHost: x\r\nCookie: " + "c=1; ".repeat(220) + "\r\nAccept: */*\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 1500\r\n\r\n" + "b".repeat(1500)};
    private static final byte[] NASTY = {'\r', '\n', ' ', '\t', ':', ',', ';', 0, 0x7F, (byte) 0x80, (byte) 0xFF, 'a',
        'Z', '0', '/', '"'};

    /** The messages as text, each body as one (how it was cut into pieces depends on the reads). */
    private static String outcome(Decoding d) {
        List<String> parts = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Object m : d.messages) {
            if (m instanceof HttpMessage head) {
                parts.add(head.toString().replace("\n", "|"));
            }
            if (m instanceof HttpContent c) {
                body.append(c.content().toString(java.nio.charset.StandardCharsets.ISO_8859_1));
                if (m instanceof LastHttpContent l) {
                    parts.add("body:" + body + " trailers:" + l.trailingHeaders());
                    body.setLength(0);
                }
            }
            Throwable failure = m instanceof io.netty.handler.codec.http.HttpObject o && o.decoderResult().isFailure()
                    ? o.decoderResult().cause() : null;
            if (failure != null) {
                parts.add(failure.getClass().getSimpleName());
            }
        }
        parts.add("unfinished body:" + body);
        d.release();
        return String.join("\n", parts);
    }

    @RepeatedTest(10)
    void oneReadAndOneBytePerReadGiveTheSameMessagesAndRefusals(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        for (int n = 0; n < 200; n++) {
            StringBuilder input = new StringBuilder(SAMPLES[random.nextInt(SAMPLES.length)]);
            for (int damage = random.nextInt(3); damage > 0; damage--) {
                int at = random.nextInt(input.length());
                char c = (char) (NASTY[random.nextInt(NASTY.length)] & 0xFF);
                switch (random.nextInt(3)) {
                    case 0 -> input.insert(at, c);
                    case 1 -> input.setCharAt(at, c);
                    default -> input.deleteCharAt(at);
                }
            }
            String text = input.toString();
            String whole = outcome(Decoding.requests().feed(text));
            String dribbled = outcome(Decoding.requests().feedByteByByte(text));

            assertThat(dribbled).as("seed %d case %d: %s", repetition.getCurrentRepetition(), n,
                    text.replace("\r", "\\r").replace("\n", "\\n")).isEqualTo(whole);
        }
    }

    @Test
    void aHeadLargerThanTheFastPathsWindowIsFoundTheSlowWay() {
        String big = "GET / HTTP/1.1\r\nHost: x\r\n" + ("X-Pad: " + "p".repeat(90) + "\r\n").repeat(60) + "\r\n";

        Decoding whole = Decoding.request(big + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(big.length()).isGreaterThan(4096);
        assertThat(whole.failure()).isNull();
        assertThat(whole.kinds()).containsExactly("head", "last", "head", "last");
        assertThat(whole.head().headers().getAll("x-pad")).hasSize(60);
        whole.release();
    }

    /**
     * The decoders of one event loop share its scanner and field parser for heads that arrive whole: a head
     * arriving in parts on one connection, between others decoded whole on the same thread, must not be
     * disturbed by them, nor they by it (its framing, its field count, its limits).
     */
    @Test
    void aHeadInPartsIsUndisturbedByHeadsDecodedWholeOnTheSameThreadMeanwhile() {
        String slow = "POST /upload HTTP/1.1\r\nHost: slow\r\n" + ("X-Pad: " + "p".repeat(90) + "\r\n").repeat(25)
                + "Content-Length: 5\r\n\r\nhello";
        Decoding parts = Decoding.requests();
        Decoding others = Decoding.requests(new DecoderLimits(64, 16384, 65536));

        parts.feed(slow.substring(0, 1500));                   // past the first KiB: the fast path gives up
        others.feed("GET /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        parts.feed(slow.substring(1500, 1600));
        others.feed("GET /" + "b".repeat(80) + " HTTP/1.1\r\nHost: b\r\n\r\n");      // over its 64-byte start line
        parts.feed(slow.substring(1600));

        assertThat(parts.failure()).isNull();
        assertThat(parts.kinds()).containsExactly("head", "last");
        assertThat(parts.head().uri()).isEqualTo("/upload");
        assertThat(parts.head().headers().getAll("x-pad")).hasSize(25);
        assertThat(parts.bodies()).containsExactly("hello");
        assertThat(others.kinds().get(0)).isEqualTo("head");
        assertThat(others.head().uri()).isEqualTo("/a");
        assertThat(others.bodies().get(0)).isEmpty();
        assertThat(others.failure()).as("the second head is over the other decoder's limit, not this one's")
                .isInstanceOf(io.netty.handler.codec.http.TooLongHttpLineException.class);
        parts.release();
        others.release();
    }
}
