package io.healthyproxy.http.internal.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the warm-up's client and backend find where a message they received ends. */
class ReceivedTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void aMessageIsWholeOnlyWhenItsHeadAndItsContentLengthHaveAllCome() {
        Received r = new Received();
        r.add(bytes("HTTP/1.1 200 OK\r\nconTent-LENGTH: 5\r\n"));
        assertThat(r.firstMessageLength()).isEqualTo(-1);

        r.add(bytes("\r\nhel"));
        assertThat(r.firstMessageLength()).isEqualTo(-1);

        r.add(bytes("lo"));
        assertThat(r.firstMessageLength()).isEqualTo("HTTP/1.1 200 OK\r\nconTent-LENGTH: 5\r\n\r\nhello".length());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void aChunkedMessageEndsAfterItsLastChunkAndAHeadWithoutLengthHasNoBody() {
        Received r = new Received();
        String chunked = "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        String bare = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
        r.add(bytes(chunked.substring(0, chunked.length() - 2)));
        assertThat(r.firstMessageLength()).isEqualTo(-1);

        r.add(bytes("\r\n" + bare));
        assertThat(r.firstMessageLength()).isEqualTo(chunked.length());
        assertThat(r.statusCode()).isEqualTo(404);

        r.consume(chunked.length());
        assertThat(r.firstMessageLength()).isEqualTo(bare.length());
        assertThat(r.startLineContains("/next ".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(r.startLineContains("Host".getBytes(StandardCharsets.US_ASCII))).as("not the start line").isFalse();
    }

    @Test
    void moreThanItsArrayHoldsIsKeptWholeAndWhatWasConsumedIsReusedFirst() {
        Received r = new Received();
        String body = "x".repeat(10_000);
        String message = "POST / HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        for (int i = 0; i < 3; i++) {
            for (int at = 0; at < message.length(); at += 1000) {
                r.add(bytes(message.substring(at, Math.min(message.length(), at + 1000))));
            }
            assertThat(r.firstMessageLength()).isEqualTo(message.length());
            r.consume(message.length());
            assertThat(r.firstMessageLength()).isEqualTo(-1);
        }
    }

    @Test
    void whatIsAddedIsReleased() {
        ByteBuf buf = bytes("HTTP/1.1 200 OK\r\n\r\n");
        new Received().add(buf);

        assertThat(buf.refCnt()).isZero();
    }
}
