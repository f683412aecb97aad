package io.healthyproxy.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After a request asking to switch protocols (RFC 9110 §7.8 Upgrade, §9.3.6 CONNECT) the decoder holds back
 * what follows, so the proxy can take it out of the pipeline and tunnel the bytes, or ask for more input and
 * stay HTTP. Auto-read is off, as on the proxy's client connections.
 */
class ProtocolSwitchTest {

    private static final String UPGRADE = "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";

    private final RequestDecoder decoder = new RequestDecoder(new DecoderLimits(1024, 1024, 64));
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<Object> received = new ArrayList<>();

    ProtocolSwitchTest() {
        channel.config().setAutoRead(false);
        channel.pipeline().addLast("decoder", decoder);
    }

    @AfterEach
    void release() {
        received.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    private void send(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, ISO_8859_1));
        drain();
    }

    private void drain() {
        for (Object m; (m = channel.readInbound()) != null; ) {
            received.add(m);
        }
    }

    private List<String> uris() {
        return received.stream().filter(HttpRequest.class::isInstance).map(m -> ((HttpRequest) m).uri()).toList();
    }

    @Test
    void bytesAfterAnUpgradeRequestAreHeldBackAndHandedOnRawWhenTheDecoderIsRemoved() {
        send(UPGRADE + "\u0081\u0085frame" + NEXT);

        assertThat(uris()).containsExactly("/chat");
        assertThat(received.get(1)).isInstanceOf(LastHttpContent.class);
        channel.pipeline().remove(decoder);
        drain();

        assertThat(received).hasSize(3);
        assertThat(((ByteBuf) received.get(2)).toString(ISO_8859_1)).isEqualTo("\u0081\u0085frame" + NEXT);
    }

    @Test
    void aConnectRequestIsHeldBackTheSameWay() {
        send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\u0016\u0003\u0001");

        assertThat(uris()).containsExactly("example.com:443");
        channel.pipeline().remove(decoder);
        drain();
        assertThat(((ByteBuf) received.get(2)).toString(ISO_8859_1)).isEqualTo("\u0016\u0003\u0001");
    }

    @Test
    void askingForMoreInputKeepsTheConnectionHttpAndDecodesWhatWasHeldBack() {
        send(UPGRADE + NEXT);
        assertThat(uris()).containsExactly("/chat");

        channel.read();                                 // the proxy did not switch: it wants the next request
        channel.runPendingTasks();
        drain();

        assertThat(uris()).containsExactly("/chat", "/next");
    }

    @Test
    void withNothingHeldBackAReadPassesThroughAndLaterBytesAreHttp() {
        send(UPGRADE);
        channel.read();
        send(NEXT);

        assertThat(uris()).containsExactly("/chat", "/next");
    }

    @Test
    void anUpgradeRequestWithABodyIsHeldBackOnlyAfterTheBody() {
        send("POST /up HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nContent-Length: 4\r\n\r\nbodyRAW");

        assertThat(received).hasSize(2);
        assertThat(((LastHttpContent) received.get(1)).content().toString(ISO_8859_1)).isEqualTo("body");
        channel.pipeline().remove(decoder);
        drain();
        assertThat(((ByteBuf) received.get(2)).toString(ISO_8859_1)).isEqualTo("RAW");
    }

    @Test
    void holdingBackIsBoundedByOnePiece() {
        send(UPGRADE);
        send("GET /more-than-sixty-four-bytes-held-back HTTP/1.1\r\nHost: x\r\nX-Fill: fill\r\n\r\n");

        assertThat(uris()).as("decoded as HTTP after all").containsExactly("/chat", "/more-than-sixty-four-bytes-held-back");
    }

    @Test
    void anOrdinaryRequestHoldsNothingBack() {
        send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n" + NEXT);

        assertThat(uris()).containsExactly("/a", "/next");
    }
}
