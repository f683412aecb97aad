package io.healthyproxy.http.internal.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.time.ManualTicker;
import io.healthyproxy.core.time.VirtualTimeScheduler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing HTTP/1.1 or h2c on a plain connection by its first bytes, in fake time. */
class ProtocolSwitchTest {

    private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    /** Stands in for a protocol's handlers: records what reaches them. */
    private static final class Installed extends ChannelInboundHandlerAdapter {
        final String protocol;
        final StringBuilder bytes = new StringBuilder();
        boolean active;

        Installed(String protocol) {
            this.protocol = protocol;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bytes.append(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
            ((ByteBuf) msg).release();
        }
    }

    private final List<Installed> installed = new ArrayList<>();
    private final VirtualTimeScheduler time = new VirtualTimeScheduler(new ManualTicker());
    private final ProtocolSwitch.Protocols protocols = new ProtocolSwitch.Protocols() {
        @Override
        public void http1(ChannelPipeline pipeline) {
            add(pipeline, "http/1.1");
        }

        @Override
        public void http2(ChannelPipeline pipeline) {
            add(pipeline, "h2c");
        }

        private void add(ChannelPipeline pipeline, String protocol) {
            Installed handler = new Installed(protocol);
            installed.add(handler);
            pipeline.addLast(handler);
        }
    };

    private EmbeddedChannel connect(boolean h2c) {
        return new EmbeddedChannel(new ProtocolSwitch(false, h2c, protocols, time::schedule,
                Duration.ofSeconds(60).toNanos()));
    }

    private static void send(EmbeddedChannel channel, String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    @Test
    void anHttp11RequestGoesToTheHttp11HandlersWithItsBytes() {
        EmbeddedChannel channel = connect(true);

        send(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(installed).singleElement().satisfies(h -> {
            assertThat(h.protocol).isEqualTo("http/1.1");
            assertThat(h.active).isTrue();
            assertThat(h.bytes).hasToString("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        });
        assertThat(channel.pipeline().get(ProtocolSwitch.class)).isNull();
    }

    @Test
    void thePrefaceMeansH2cEvenWhenItArrivesInPieces() {
        EmbeddedChannel channel = connect(true);

        send(channel, "PRI * HTTP/2");
        assertThat(installed).isEmpty();                        // could still be the preface: wait
        send(channel, ".0\r\n\r\nSM\r\n\r\n\0\0\0");

        assertThat(installed).singleElement().satisfies(h -> {
            assertThat(h.protocol).isEqualTo("h2c");
            assertThat(h.bytes).hasToString(PREFACE + "\0\0\0");
        });
    }

    @Test
    void somethingThatOnlyStartsLikeThePrefaceIsHttp11() {
        connect(true).writeInbound(Unpooled.copiedBuffer("PRI * HTTP/1.1\r\n", StandardCharsets.US_ASCII));

        assertThat(installed).singleElement().extracting(h -> h.protocol).isEqualTo("http/1.1");
    }

    @Test
    void withH2cOffEvenThePrefaceGoesToHttp11() {
        send(connect(false), PREFACE);

        assertThat(installed).singleElement().extracting(h -> h.protocol).isEqualTo("http/1.1");
    }

    @Test
    void aConnectionThatSaysNothingIsClosedAtItsDeadline() {
        EmbeddedChannel channel = connect(true);

        time.runFor(Duration.ofSeconds(59));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        time.runFor(Duration.ofSeconds(1));
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(installed).isEmpty();
    }
}
