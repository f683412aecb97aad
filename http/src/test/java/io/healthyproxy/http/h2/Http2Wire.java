package io.healthyproxy.http.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client end of an HTTP/2 connection as bytes: frames written with Netty's own frame writer (and raw
 * frames where a test needs what no well-behaved writer makes), and the server's frames read back with its
 * frame reader. Where the bytes go is up to the caller: an {@link EmbeddedChannel} in unit tests, a socket in
 * real-socket tests. Not thread-safe.
 */
public final class Http2Wire {

    /**
     * One frame the server sent, as much of it as tests look at; {@code errorCode} holds a RST_STREAM's or
     * GOAWAY's error code, a PING's payload, or a WINDOW_UPDATE's increment.
     */
    public record Frame(String type, int streamId, Http2Headers headers, String data, long errorCode,
            boolean endStream) {

        public String status() {
            return headers == null || headers.status() == null ? null : headers.status().toString();
        }
    }

    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(true);
    /** Catches what the frame writer writes: it writes through a context, and this is where that leads. */
    private final Capture capture = new Capture();
    private final EmbeddedChannel scratch = new EmbeddedChannel(capture, new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = scratch.pipeline().lastContext();
    private final Consumer<ByteBuf> out;
    private final List<Frame> received = new ArrayList<>();
    private ByteBuf pending;

    /** @param out where the client's bytes go (takes each buffer over) */
    public Http2Wire(Consumer<ByteBuf> out) {
        this.out = out;
    }

    /** The client preface and a SETTINGS frame. */
    public Http2Wire preface(Http2Settings settings) {
        out.accept(Http2CodecUtil.connectionPrefaceBuf());
        return write(b -> writer.writeSettings(ctx, settings, promise(b)));
    }

    public Http2Wire preface() {
        return preface(new Http2Settings());
    }

    public static Http2Headers request(String method, String path) {
        return new DefaultHttp2Headers().method(method).path(path).scheme("http").authority("app.example");
    }

    public Http2Wire headers(int streamId, Http2Headers headers, boolean endStream) {
        return write(b -> writer.writeHeaders(ctx, streamId, headers, 0, endStream, promise(b)));
    }

    public Http2Wire data(int streamId, String text, boolean endStream) {
        return write(b -> writer.writeData(ctx, streamId, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), 0,
                endStream, promise(b)));
    }

    public Http2Wire reset(int streamId, long errorCode) {
        return write(b -> writer.writeRstStream(ctx, streamId, errorCode, promise(b)));
    }

    public Http2Wire ping(long payload) {
        return write(b -> writer.writePing(ctx, false, payload, promise(b)));
    }

    public Http2Wire settings(Http2Settings settings) {
        return write(b -> writer.writeSettings(ctx, settings, promise(b)));
    }

    public Http2Wire windowUpdate(int streamId, int increment) {
        return write(b -> writer.writeWindowUpdate(ctx, streamId, increment, promise(b)));
    }

    /** A frame as raw bytes: a 9-byte header and {@code payload}, whatever they say. */
    public Http2Wire raw(int type, int flags, int streamId, byte[] payload) {
        ByteBuf frame = Unpooled.buffer(9 + payload.length);
        frame.writeMedium(payload.length).writeByte(type).writeByte(flags).writeInt(streamId).writeBytes(payload);
        out.accept(frame);
        return this;
    }

    /** Reads the server's bytes; complete frames are added to {@link #frames()}. Releases {@code bytes}. */
    public void receive(ByteBuf bytes) {
        pending = pending == null ? bytes : Unpooled.wrappedBuffer(pending, bytes);
        try {
            reader.readFrame(ctx, pending, new Collector());
        } catch (Http2Exception e) {
            throw new AssertionError("the server sent a frame that cannot be read", e);
        }
        if (!pending.isReadable()) {
            pending.release();
            pending = null;
        }
    }

    /** Every frame received so far. */
    public List<Frame> frames() {
        return received;
    }

    public List<Frame> frames(int streamId) {
        return received.stream().filter(f -> f.streamId() == streamId).toList();
    }

    public boolean sawGoAway(long errorCode) {
        return received.stream().anyMatch(f -> f.type().equals("GOAWAY") && f.errorCode() == errorCode);
    }

    private Http2Wire write(Consumer<ByteBuf> writeInto) {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer();
        writeInto.accept(buffer);
        out.accept(buffer);
        return this;
    }

    /** A promise for the frame writer, whose writes land in {@code into} (the scratch channel keeps nothing). */
    private ChannelPromise promise(ByteBuf into) {
        capture.into = into;
        return scratch.newPromise();
    }

    private static final class Capture extends ChannelOutboundHandlerAdapter {
        ByteBuf into;

        @Override
        public void write(ChannelHandlerContext c, Object msg, ChannelPromise p) {
            into.writeBytes((ByteBuf) msg);
            ((ByteBuf) msg).release();
            p.setSuccess();
        }
    }

    private final class Collector extends Http2FrameAdapter {
        @Override
        public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            received.add(new Frame("DATA", streamId, null, data.toString(StandardCharsets.UTF_8), 0, endOfStream));
            return data.readableBytes() + padding;
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers, int padding,
                boolean endStream) {
            received.add(new Frame("HEADERS", streamId, headers, null, 0, endStream));
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers, int dependency,
                short weight, boolean exclusive, int padding, boolean endStream) {
            onHeadersRead(c, streamId, headers, padding, endStream);
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext c, int streamId, long errorCode) {
            received.add(new Frame("RST_STREAM", streamId, null, null, errorCode, false));
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext c, int lastStreamId, long errorCode, ByteBuf debugData) {
            received.add(new Frame("GOAWAY", lastStreamId, null, debugData.toString(StandardCharsets.UTF_8),
                    errorCode, false));
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext c, Http2Settings settings) {
            received.add(new Frame("SETTINGS", 0, null, settings.toString(), 0, false));
        }

        @Override
        public void onPingAckRead(ChannelHandlerContext c, long data) {
            received.add(new Frame("PING_ACK", 0, null, null, data, false));
        }

        @Override
        public void onWindowUpdateRead(ChannelHandlerContext c, int streamId, int increment) {
            received.add(new Frame("WINDOW_UPDATE", streamId, null, null, increment, false));
        }
    }
}
