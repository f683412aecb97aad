package io.healthyproxy.http.internal.h1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the request and response encoders share: a head written byte-exact (every char one byte,
 * ISO-8859-1, so what {@link MessageDecoder} read goes out as it came), then the body as it is, or framed as
 * chunks when the head's Transfer-Encoding is chunked (extensions were dropped on decoding; trailer fields
 * follow the last chunk), or dropped when the message can have none. Raw {@code ByteBuf}s pass through
 * untouched.
 *
 * <p>It does not validate what it is given, except for what would break the framing of what it writes: a
 * CR, LF or NUL, or a char that is not one byte, in a name or a value is an {@link EncoderException} (such a
 * message is never sent).
 *
 * <p>Implementation notes: a head is written into a per-thread scratch array with plain array code, then
 * copied once into a buffer of exactly its size. Fields still as decoded ({@link WireHeaders}) are copied
 * from the bytes read, each run of lines that were adjacent there in one copy, exactly as they came
 * (whitespace around a value included: the decoder allowed it). A small body of a full message is copied
 * into the same buffer (one write instead of two). Confined to the channel's event loop.
 */
abstract class MessageEncoder extends MessageToMessageEncoder<HttpObject> {

    /** Bodies up to this size are copied behind their head: cheaper than a second buffer and write. */
    static final int MERGED_BODY_BYTES = 2048;

    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeByte('\r').writeByte('\n')).asReadOnly();
    private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(5).writeBytes(new byte[] {'0', '\r', '\n', '\r', '\n'})).asReadOnly();
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Each thread's scratch space for heads, rather than each encoder's: an idle connection then holds none
     * (encoders are confined to their channel's thread, and a head is copied out before the next is begun).
     */
    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    /** How the body of the message being written goes out. */
    private enum Body { AS_IT_IS, CHUNKED, NONE }

    private Body body = Body.AS_IT_IS;

    MessageEncoder() {
        super(HttpObject.class);
    }

    /** Writes {@code head}'s start line, CRLF included, into {@code s}. */
    abstract void startLine(HttpMessage head, Scratch s);

    /** Whether {@code head}'s message can have no body, whatever comes (a response to a 204, say). */
    abstract boolean hasNoBody(HttpMessage head);

    /** A thread's growable array that a head is written into. */
    static final class Scratch {
        byte[] a = new byte[4096];
        int n;

        /** This thread's scratch, emptied. */
        static Scratch ofThisThread() {
            Scratch s = SCRATCH.get();
            s.n = 0;
            return s;
        }

        void room(int more) {
            if (a.length < n + more) {
                a = java.util.Arrays.copyOf(a, Math.max(n + more, a.length * 2));
            }
        }

        void put(byte b) {
            a[n++] = b;
        }

        void put(AsciiString s) {
            room(s.length());
            System.arraycopy(s.array(), s.arrayOffset(), a, n, s.length());
            n += s.length();
        }

        /** One byte per char: refuses a CR, LF or NUL (they would end the line), and a char above 0xFF. */
        void putText(CharSequence s) {
            room(s.length());
            if (s instanceof AsciiString ascii) {
                byte[] bytes = ascii.array();
                for (int i = ascii.arrayOffset(), end = i + ascii.length(); i < end; i++) {
                    byte b = bytes[i];
                    if (b == '\r' || b == '\n' || b == 0) {
                        throw unsafe(s);
                    }
                    a[n++] = b;
                }
                return;
            }
            for (int i = 0, length = s.length(); i < length; i++) {
                char c = s.charAt(i);
                if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                    throw unsafe(s);
                }
                a[n++] = (byte) c;
            }
        }

        void crlf() {
            room(2);
            a[n++] = '\r';
            a[n++] = '\n';
        }

        private static EncoderException unsafe(CharSequence s) {
            return new EncoderException("a start line, name or value with CR, LF, NUL or a char > 0xFF: "
                    + s.toString().replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0"));
        }
    }

    @Override
    protected final void encode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) {
        ByteBuf head = null;
        if (msg instanceof HttpMessage message) {
            body = hasNoBody(message) ? Body.NONE
                    : HttpUtil.isTransferEncodingChunked(message) ? Body.CHUNKED : Body.AS_IT_IS;
            int merged = msg instanceof FullHttpMessage full && body == Body.AS_IT_IS ? full.content().readableBytes() : 0;
            head = head(ctx.alloc(), message, merged <= MERGED_BODY_BYTES ? merged : 0);
            out.add(head);
        }
        if (msg instanceof HttpContent content) {
            ByteBuf bytes = content.content();
            int length = bytes.readableBytes();
            switch (body) {
                case AS_IT_IS -> {
                    if (head != null && length <= MERGED_BODY_BYTES) {
                        head.writeBytes(bytes, bytes.readerIndex(), length);
                    } else if (length > 0) {
                        out.add(bytes.retain());
                    }
                }
                case CHUNKED -> {
                    if (length > 0) {
                        out.add(chunkSize(ctx.alloc(), length));
                        out.add(bytes.retain());
                        out.add(CRLF.duplicate());
                    }
                    if (content instanceof LastHttpContent last) {
                        out.add(last.trailingHeaders().isEmpty() ? LAST_CHUNK.duplicate()
                                : lastChunk(ctx.alloc(), last.trailingHeaders()));
                    }
                }
                default -> { }                              // a message without a body: the piece is dropped
            }
            if (out.isEmpty()) {
                out.add(Unpooled.EMPTY_BUFFER);             // still something, to complete the write
            }
        }
    }

    private ByteBuf head(ByteBufAllocator alloc, HttpMessage message, int mergedBody) {
        Scratch s = Scratch.ofThisThread();
        startLine(message, s);
        fields(message.headers(), s);
        s.crlf();
        ByteBuf buf = alloc.buffer(s.n + mergedBody);
        buf.writeBytes(s.a, 0, s.n);
        return buf;
    }

    private static void fields(HttpHeaders headers, Scratch s) {
        if (headers instanceof WireHeaders wire) {
            for (int i = 0, size = wire.size(); i < size; ) {
                if (wire.isWire(i)) {
                    // Lines as read, and those that followed them then, go out in one copy: the decoder
                    // checked them, and a proxy usually removes a field or two and adds a few at the end.
                    int from = wire.lineStartAt(i);
                    int to = wire.lineEndAt(i);
                    for (i++; i < size && wire.isWire(i) && wire.lineStartAt(i) == to; i++) {
                        to = wire.lineEndAt(i);
                    }
                    s.room(to - from);
                    System.arraycopy(wire.wire(), from, s.a, s.n, to - from);
                    s.n += to - from;
                } else {
                    field(wire.nameAt(i), wire.valueAt(i), s);
                    i++;
                }
            }
            return;
        }
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            field(field.getKey(), field.getValue(), s);
        }
    }

    private static void field(CharSequence name, CharSequence value, Scratch s) {
        s.putText(name);
        s.room(2);
        s.put((byte) ':');
        s.put((byte) ' ');
        s.putText(value);
        s.crlf();
    }

    private static ByteBuf chunkSize(ByteBufAllocator alloc, int length) {
        ByteBuf buf = alloc.buffer(10);
        int digits = (32 - Integer.numberOfLeadingZeros(length) + 3) / 4;
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            buf.writeByte(HEX[(length >>> shift) & 0xF]);
        }
        return buf.writeByte('\r').writeByte('\n');
    }

    private ByteBuf lastChunk(ByteBufAllocator alloc, HttpHeaders trailers) {
        Scratch s = Scratch.ofThisThread();
        s.room(3);
        s.put((byte) '0');
        s.crlf();
        fields(trailers, s);
        s.crlf();
        return alloc.buffer(s.n).writeBytes(s.a, 0, s.n);
    }
}
