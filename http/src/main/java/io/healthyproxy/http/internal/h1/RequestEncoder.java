package io.healthyproxy.http.internal.h1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * Encodes requests to a backend, as Netty's {@code HttpRequestEncoder} does, but byte-exact: the request-target
 * and every header value are written one byte per char (ISO-8859-1), so a target decoded by
 * {@link RequestDecoder} (which made one char of each byte) reaches the backend as the client sent it. Netty's
 * encoder writes the target as UTF-8, which turned {@code /caf\xc3\xa9.txt} into {@code /caf\xc3\x83\xc2\xa9.txt}.
 * Headers are written as given, in order (a field line still as decoded is written as it was read); a
 * head whose Transfer-Encoding is chunked has its body pieces framed
 * as chunks (their extensions were dropped on decoding) and its trailer fields written after the last one.
 *
 * <p>It does not validate what it is given, except for what would break the framing of what it writes: a CR,
 * LF or NUL, or a char that is not one byte, in the target, a name or a value is an {@link EncoderException}
 * (such a request is never sent), and so is a space in the target.
 *
 * <p>Implementation notes: a head is written into a per-thread scratch array with plain array code, then
 * copied once into a buffer of exactly its size; fields still as {@link RequestDecoder} read them
 * ({@link WireHeaders}) are copied from the bytes read, each run of lines that were adjacent there in one
 * copy, exactly as they came (whitespace around a value included: the decoder allowed it). A small body of a
 * {@link FullHttpRequest} is copied into the same buffer (one write instead of two). Confined to the
 * channel's event loop.
 */
public final class RequestEncoder extends MessageToMessageEncoder<HttpObject> {

    /** Bodies up to this size are copied behind their head: cheaper than a second buffer and write. */
    static final int MERGED_BODY_BYTES = 2048;

    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeByte('\r').writeByte('\n')).asReadOnly();
    private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(5).writeBytes(new byte[] {'0', '\r', '\n', '\r', '\n'})).asReadOnly();
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[4096];
        }
    };

    private final Queue<HttpMethod> sent;
    private boolean chunked;

    /** An encoder on its own. */
    public RequestEncoder() {
        this(null);
    }

    /** An encoder that adds the method of every request head it writes to {@code sent} (see {@link UpstreamCodec}). */
    RequestEncoder(Queue<HttpMethod> sent) {
        super(HttpObject.class);
        this.sent = sent;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) {
        ByteBuf head = null;
        if (msg instanceof HttpRequest request) {
            if (sent != null) {
                sent.add(request.method());
            }
            chunked = HttpUtil.isTransferEncodingChunked(request);
            int body = msg instanceof FullHttpRequest full && !chunked ? full.content().readableBytes() : 0;
            head = head(ctx.alloc(), request, body <= MERGED_BODY_BYTES ? body : 0);
            out.add(head);
        }
        if (msg instanceof HttpContent content) {
            ByteBuf bytes = content.content();
            int length = bytes.readableBytes();
            if (!chunked) {
                if (head != null && length <= MERGED_BODY_BYTES) {
                    head.writeBytes(bytes, bytes.readerIndex(), length);
                } else if (length > 0) {
                    out.add(bytes.retain());
                }
            } else {
                if (length > 0) {
                    out.add(chunkSize(ctx.alloc(), length));
                    out.add(bytes.retain());
                    out.add(CRLF.duplicate());
                }
                if (content instanceof LastHttpContent last) {
                    out.add(last.trailingHeaders().isEmpty() ? LAST_CHUNK.duplicate() : lastChunk(ctx.alloc(), last));
                }
            }
            if (out.isEmpty()) {
                out.add(Unpooled.EMPTY_BUFFER);             // an empty piece: still something to complete the write
            }
        }
    }

    private static ByteBuf head(ByteBufAllocator alloc, HttpRequest request, int mergedBody) {
        byte[] a = SCRATCH.get();
        int n = 0;
        AsciiString method = request.method().asciiName();
        a = room(a, method.length() + 1);
        System.arraycopy(method.array(), method.arrayOffset(), a, 0, method.length());
        n = method.length();
        a[n++] = ' ';
        String uri = request.uri();
        if (uri.isEmpty()) {
            a[n++] = '/';
        } else {
            a = room(a, n + uri.length());
            for (int i = 0; i < uri.length(); i++) {
                char c = uri.charAt(i);
                if (c <= ' ' || c > 0xFF || c == 0x7F) {
                    throw new EncoderException("the request-target has a space, a control char or a char > 0xFF");
                }
                a[n++] = (byte) c;
            }
        }
        String version = request.protocolVersion().text();
        a = room(a, n + version.length() + 3);
        a[n++] = ' ';
        n = latin1(version, a, n);
        a[n++] = '\r';
        a[n++] = '\n';
        HttpHeaders headers = request.headers();
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
                    a = room(a, n + to - from);
                    System.arraycopy(wire.wire(), from, a, n, to - from);
                    n += to - from;
                } else {
                    a = room(a, n + wire.nameAt(i).length() + wire.valueAt(i).length() + 4);
                    n = field(wire.nameAt(i), wire.valueAt(i), a, n);
                    i++;
                }
            }
        } else {
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> field = it.next();
                a = room(a, n + field.getKey().length() + field.getValue().length() + 4);
                n = field(field.getKey(), field.getValue(), a, n);
            }
        }
        a = room(a, n + 2);
        a[n++] = '\r';
        a[n++] = '\n';
        ByteBuf buf = alloc.buffer(n + mergedBody);
        buf.writeBytes(a, 0, n);
        return buf;
    }

    private static int field(CharSequence name, CharSequence value, byte[] a, int n) {
        n = text(name, a, n);
        a[n++] = ':';
        a[n++] = ' ';
        n = text(value, a, n);
        a[n++] = '\r';
        a[n++] = '\n';
        return n;
    }

    private static int text(CharSequence s, byte[] a, int n) {
        if (s instanceof AsciiString ascii) {
            byte[] bytes = ascii.array();
            int from = ascii.arrayOffset();
            for (int i = from, end = from + ascii.length(); i < end; i++) {
                byte b = bytes[i];
                if (b == '\r' || b == '\n' || b == 0) {
                    throw unsafe(s);
                }
                a[n++] = b;
            }
            return n;
        }
        for (int i = 0, length = s.length(); i < length; i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                throw unsafe(s);
            }
            a[n++] = (byte) c;
        }
        return n;
    }

    private static EncoderException unsafe(CharSequence s) {
        return new EncoderException("a header name or value with CR, LF, NUL or a char > 0xFF: "
                + s.toString().replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0"));
    }

    private static int latin1(String s, byte[] a, int n) {
        for (int i = 0; i < s.length(); i++) {
            a[n++] = (byte) s.charAt(i);
        }
        return n;
    }

    private static byte[] room(byte[] a, int needed) {
        if (a.length >= needed) {
            return a;
        }
        byte[] bigger = java.util.Arrays.copyOf(a, Math.max(needed, a.length * 2));
        SCRATCH.set(bigger);
        return bigger;
    }

    private static ByteBuf chunkSize(ByteBufAllocator alloc, int length) {
        ByteBuf buf = alloc.buffer(10);
        int digits = (32 - Integer.numberOfLeadingZeros(length) + 3) / 4;
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            buf.writeByte(HEX[(length >>> shift) & 0xF]);
        }
        return buf.writeByte('\r').writeByte('\n');
    }

    private static ByteBuf lastChunk(ByteBufAllocator alloc, LastHttpContent last) {
        HttpHeaders trailers = last.trailingHeaders();
        byte[] a = SCRATCH.get();
        int n = 0;
        a[n++] = '0';
        a[n++] = '\r';
        a[n++] = '\n';
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = trailers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            a = room(a, n + field.getKey().length() + field.getValue().length() + 6);
            n = field(field.getKey(), field.getValue(), a, n);
        }
        a[n++] = '\r';
        a[n++] = '\n';
        return alloc.buffer(n).writeBytes(a, 0, n);
    }
}
