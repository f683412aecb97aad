package io.healthyproxy.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds bytes to a decoder on an {@link EmbeddedChannel} and keeps what comes out, as text where it is a
 * body, so that tests can say what a decoder made of some input in one line. Input goes in as direct
 * buffers, as a socket's reads do (the decoders copy a head out of those), unless asked otherwise.
 */
final class Decoding {

    final EmbeddedChannel channel;
    final List<Object> messages = new ArrayList<>();

    private Decoding(ChannelHandler decoder) {
        this.channel = new EmbeddedChannel(decoder);
    }

    static final DecoderLimits LIMITS = new DecoderLimits(8192, 16384, 65536);

    static Decoding requests() {
        return new Decoding(new RequestDecoder(LIMITS));
    }

    static Decoding requests(DecoderLimits limits) {
        return new Decoding(new RequestDecoder(limits));
    }

    /** Decodes {@code text} (one byte per char) as client input, in one read. */
    static Decoding request(String text) {
        return requests().feed(text);
    }

    Decoding feed(String text) {
        return feed(text, true);
    }

    Decoding feedHeap(String text) {
        return feed(text, false);
    }

    /** Feeds one byte per read: every state of the decoder sees a boundary. */
    Decoding feedByteByByte(String text) {
        for (int i = 0; i < text.length(); i++) {
            feed(text.substring(i, i + 1));
        }
        return this;
    }

    private Decoding feed(String text, boolean direct) {
        byte[] bytes = text.getBytes(ISO_8859_1);
        ByteBuf buf = direct ? Unpooled.directBuffer(bytes.length).writeBytes(bytes) : Unpooled.wrappedBuffer(bytes);
        channel.writeInbound(buf);
        drain();
        return this;
    }

    Decoding close() {
        channel.finish();
        drain();
        return this;
    }

    private void drain() {
        for (Object m; (m = channel.readInbound()) != null; ) {
            messages.add(m);
        }
    }

    HttpRequest head() {
        return (HttpRequest) messages.get(0);
    }

    HttpResponse response(int index) {
        return (HttpResponse) messages.stream().filter(HttpResponse.class::isInstance).toList().get(index);
    }

    /** The cause of the one failed message, or null if none failed. */
    Throwable failure() {
        List<DecoderResult> failed = messages.stream().filter(HttpObject.class::isInstance)
                .map(m -> ((HttpObject) m).decoderResult()).filter(DecoderResult::isFailure).toList();
        assertThat(failed.size()).as("failed messages").isLessThanOrEqualTo(1);
        return failed.isEmpty() ? null : failed.get(0).cause();
    }

    /** The bodies' bytes, one string per message, each piece appended to its message's. */
    List<String> bodies() {
        List<String> bodies = new ArrayList<>();
        StringBuilder current = null;
        for (Object m : messages) {
            if (m instanceof HttpMessage) {
                current = new StringBuilder();
            }
            if (m instanceof HttpContent content && current != null) {
                current.append(content.content().toString(ISO_8859_1));
                if (content instanceof LastHttpContent) {
                    bodies.add(current.toString());
                    current = null;
                }
            }
        }
        return bodies;
    }

    /** The kinds of what came out, e.g. {@code [head, piece, last]}. */
    List<String> kinds() {
        return messages.stream().map(m -> m instanceof HttpMessage ? "head" : m instanceof LastHttpContent ? "last"
                : m instanceof HttpContent ? "piece" : m instanceof ByteBuf b ? "raw:" + b.toString(ISO_8859_1)
                : m.getClass().getSimpleName()).toList();
    }

    /** Raw bytes handed on (after a protocol switch), as text. */
    String raw() {
        StringBuilder out = new StringBuilder();
        for (Object m : messages) {
            if (m instanceof ByteBuf b) {
                out.append(b.toString(ISO_8859_1));
            }
        }
        return out.toString();
    }

    void release() {
        messages.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    static String hex(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }
}
