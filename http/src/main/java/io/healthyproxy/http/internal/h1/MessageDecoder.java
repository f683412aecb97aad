package io.healthyproxy.http.internal.h1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.List;

/**
 * What the request and response decoders share: a head parsed in one pass once it has all arrived, then the
 * body as Netty's decoders deliver it: a fixed-length body, a chunked one (trailer fields included) or, for a
 * response, one that lasts until the connection closes, as {@code HttpContent} pieces of at most
 * {@link DecoderLimits#maxPieceBytes()} that are slices of the bytes read (no copy), the last one a
 * {@code LastHttpContent}; a message without a body is its head and {@link LastHttpContent#EMPTY_LAST_CONTENT}.
 *
 * <p>A refusal is one message whose {@code decoderResult()} is a failure carrying the cause: the head (or a
 * placeholder head, if it could not be parsed) when the head is at fault, a {@code LastHttpContent} when the
 * body is. Everything after it is discarded: once framing is in doubt no later byte can be trusted.
 *
 * <p>Implementation notes: the head is copied once into an array of its own, parsed there with plain array
 * code, and kept: its {@link WireHeaders} point into it. When the head arrived in one read (the usual case)
 * the copy of the read is searched for its end, eight bytes at a time; otherwise {@link HeadScanner} follows
 * it in the buffer as it arrives. Either way the end is found and the limits enforced before parsing starts,
 * and the parsers rely on the head's last line feed, so none of their loops can run past it.
 * Confined to the channel's event loop, like every {@code ByteToMessageDecoder}.
 */
abstract class MessageDecoder extends ByteToMessageDecoder {

    /** A read this small is copied whole into the array that becomes the head's wire. */
    private static final int SMALL_READ = 1024;
    /**
     * How much of a larger read the fast path copies, in two steps, to look for a head in: most heads are
     * smaller (Chrome's, cookies and all, are 1–3 KiB). A larger one is found in the buffer itself.
     */
    private static final int FAST_WINDOW = 4096;
    /** Bytes after the head that may stay in its wire array rather than cost a second copy. */
    private static final int MAX_SLACK = 256;

    /** Room for the fields a proxy adds to a head (X-Forwarded-For, -Proto, -Host) before its arrays grow. */
    private static final int EXTRA_FIELDS = 4;

    /** What {@link #bodyOf} returns for a chunked body. */
    static final long CHUNKED = -1;
    /** What {@link #bodyOf} returns for a response body that ends when the connection does. */
    static final long UNTIL_CLOSE = -2;

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[4096];
        }
    };

    /** Where the decoder is in the byte stream. */
    enum State {
        HEAD, FIXED_BODY, CHUNK_LINE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE,
        /** Bytes after a message are held back, undecoded: the connection may be switched to another protocol. */
        PAUSED,
        /** The connection switched protocols: bytes are handed on as they are. */
        RAW,
        /** A message was refused: everything else is discarded. */
        FAILED
    }

    /**
     * What a head's field lines say of its framing, for {@link #bodyOf}: filled and read within one call of
     * {@code decode}, so one per thread serves every decoder on it, and an idle connection holds none.
     */
    private static final FastThreadLocal<FieldParser> FIELDS = new FastThreadLocal<>() {
        @Override
        protected FieldParser initialValue() {
            return new FieldParser();
        }
    };
    /** Looks for the end of a head that arrived in one read (most do): one per thread, like {@link #FIELDS}. */
    private static final FastThreadLocal<HeadScanner> QUICK_SCANNER = new FastThreadLocal<>() {
        @Override
        protected HeadScanner initialValue() {
            return new HeadScanner(1, 1);
        }
    };

    private final DecoderLimits limits;
    /**
     * The connection's own scanner while a head arrives over several reads (it remembers how far it looked),
     * made when one does, and let go of when that head is complete: an idle connection holds none.
     */
    private HeadScanner partialHead;
    /** For a trailer section, made on the first one: most connections never see one, and each idle one counts. */
    private HeadScanner trailerScanner;
    private State state = State.HEAD;
    /** The message being decoded, from its head to its last piece. */
    private HttpMessage current;
    private long remaining;

    MessageDecoder(DecoderLimits limits) {
        this.limits = limits;
    }

    /**
     * Parses a complete head, a prefix of {@code a} that ends with the LF of its empty line: the start line,
     * then the field lines with {@code fields.parse} into {@code headers}, whose wire {@code a} is.
     */
    abstract HttpMessage parseHead(byte[] a, WireHeaders headers, FieldParser fields);

    /**
     * The body's length for {@code head}, whose field lines {@code fields} parsed: 0 for none, {@link #CHUNKED},
     * {@link #UNTIL_CLOSE}, or a byte count.
     */
    abstract long bodyOf(HttpMessage head, FieldParser fields);

    /** Where decoding goes once a message is complete: {@link State#HEAD} for the next, or PAUSED, or RAW. */
    abstract State afterMessage(HttpMessage head);

    /** A head to carry a failure when the real one could not be parsed. */
    abstract HttpMessage placeholder();

    State state() {
        return state;
    }

    /** Leaves {@link State#PAUSED}: what was held back is decoded as the next message. */
    void unpause() {
        if (state == State.PAUSED) {
            state = State.HEAD;
        }
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case HEAD -> head(in, out);
                case FIXED_BODY -> fixedBody(in, out);
                case CHUNK_LINE -> chunkLine(in);
                case CHUNK_DATA -> chunkData(in, out);
                case CHUNK_END -> chunkEnd(in);
                case TRAILERS -> trailers(in, out);
                case UNTIL_CLOSE -> out.add(new DefaultHttpContent(in.readRetainedSlice(
                        Math.min(in.readableBytes(), limits.maxPieceBytes()))));
                case RAW -> out.add(in.readRetainedSlice(in.readableBytes()));
                case FAILED -> in.skipBytes(in.readableBytes());
                case PAUSED -> {
                    // Held back for a protocol switch, but not without bound (a client may keep sending while
                    // the connection lingers towards its close): beyond one piece, decode it as HTTP after all.
                    if (in.readableBytes() > limits.maxPieceBytes()) {
                        state = State.HEAD;
                        head(in, out);
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        } catch (DecoderException e) {
            fail(in, out, e);
        }
    }

    private void head(ByteBuf in, List<Object> out) {
        byte[] wire = null;
        int length = -1;
        HeadScanner scanner = partialHead;
        if (scanner == null) {
            if (!skipEmptyLines(in)) {
                return;
            }
            // The fast path: the head is in this read (most are), and is found in a copy of it.
            scanner = QUICK_SCANNER.get().restart(limits.maxStartLine(), limits.maxFieldBytes());
            int readable = in.readableBytes();
            if (readable <= SMALL_READ) {
                wire = new byte[readable];                  // becomes the wire: a GET's read is its head
                in.getBytes(in.readerIndex(), wire);
                length = scanner.scan(wire, 0, readable);
                if (length > 0 && readable - length > MAX_SLACK) {
                    wire = Arrays.copyOf(wire, length);
                }
            } else {
                // A body may follow in the read: look at the first KiB, then up to the window, not at all of it.
                byte[] a = scratch(FAST_WINDOW);
                in.getBytes(in.readerIndex(), a, 0, SMALL_READ);
                length = scanner.scan(a, 0, SMALL_READ);
                if (length < 0) {
                    int more = Math.min(readable, FAST_WINDOW);
                    in.getBytes(in.readerIndex() + SMALL_READ, a, SMALL_READ, more - SMALL_READ);
                    length = scanner.scan(a, SMALL_READ, more);
                }
                if (length > 0) {
                    wire = Arrays.copyOf(a, length);
                }
            }
            if (length < 0) {
                scanner = partialHead = scanner.carryOn();  // the rest comes in later reads, or lies further on
            }
        }
        if (length < 0) {
            length = scanner.scan(in);
            if (length < 0) {
                return;
            }
            partialHead = null;
            wire = new byte[length];
            in.getBytes(in.readerIndex(), wire);
        }
        FieldParser fields = FIELDS.get();
        fields.reset();
        HttpMessage head = parseHead(wire, new WireHeaders(wire, scanner.fieldLines() + EXTRA_FIELDS), fields);
        in.skipBytes(length);
        current = head;
        long body = bodyOf(head, fields);
        out.add(head);
        if (body == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            messageDone();
        } else if (body == CHUNKED) {
            state = State.CHUNK_LINE;
        } else if (body == UNTIL_CLOSE) {
            state = State.UNTIL_CLOSE;
        } else {
            remaining = body;
            state = State.FIXED_BODY;
        }
    }

    /**
     * RFC 9112 §2.2: a server should ignore at least one empty line before a request line (old clients send
     * CRLF after a POST body). Returns whether there is more to decode.
     */
    private static boolean skipEmptyLines(ByteBuf in) {
        while (in.readableBytes() >= 2 && in.getByte(in.readerIndex()) == '\r'
                && in.getByte(in.readerIndex() + 1) == '\n') {
            in.skipBytes(2);
        }
        return in.readableBytes() > 1 || in.isReadable() && in.getByte(in.readerIndex()) != '\r';
    }

    private void fixedBody(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(Math.min(in.readableBytes(), limits.maxPieceBytes()), remaining);
        if (n == 0) {
            return;
        }
        ByteBuf piece = in.readRetainedSlice(n);
        remaining -= n;
        if (remaining == 0) {
            out.add(new DefaultLastHttpContent(piece, EmptyHttpHeaders.INSTANCE));
            messageDone();
        } else {
            out.add(new DefaultHttpContent(piece));
        }
    }

    private void chunkLine(ByteBuf in) {
        int readable = in.readableBytes();
        int lf = in.indexOf(in.readerIndex(), in.readerIndex() + Math.min(readable, ChunkLine.MAX_LENGTH), (byte) '\n');
        if (lf < 0) {
            if (readable >= ChunkLine.MAX_LENGTH) {
                throw new MalformedMessageException("a chunk-size line longer than " + ChunkLine.MAX_LENGTH + " bytes");
            }
            return;
        }
        int length = lf + 1 - in.readerIndex();
        byte[] a = scratch(length);
        in.getBytes(in.readerIndex(), a, 0, length);
        long size = ChunkLine.parse(a, 0, length);
        in.skipBytes(length);
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
    }

    private void chunkData(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(Math.min(in.readableBytes(), limits.maxPieceBytes()), remaining);
        if (n == 0) {
            return;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        remaining -= n;
        if (remaining == 0) {
            state = State.CHUNK_END;
        }
    }

    /** RFC 9112 §7.1: chunk data is followed by exactly CRLF. Anything else means the size lied. */
    private void chunkEnd(ByteBuf in) {
        int readable = in.readableBytes();
        int at = in.readerIndex();
        if (readable >= 1 && in.getByte(at) != '\r' || readable >= 2 && in.getByte(at + 1) != '\n') {
            throw new MalformedMessageException("chunk data not followed by CRLF (longer than its size?)");
        }
        if (readable >= 2) {
            in.skipBytes(2);
            state = State.CHUNK_LINE;
        }
    }

    /** RFC 9112 §7.1.2: the trailer section after the last chunk, under the rules of a head's field lines. */
    private void trailers(ByteBuf in, List<Object> out) {
        int at = in.readerIndex();
        boolean atStart = trailerScanner == null || trailerScanner.atStart();
        if (atStart && in.readableBytes() >= 2 && in.getByte(at) == '\r' && in.getByte(at + 1) == '\n') {
            in.skipBytes(2);                                // no trailer fields, the usual case
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            messageDone();
            return;
        }
        if (trailerScanner == null) {
            trailerScanner = new HeadScanner(0, limits.maxFieldBytes());
        }
        int length = trailerScanner.scan(in);
        if (length < 0) {
            return;
        }
        byte[] wire = new byte[length];
        in.getBytes(at, wire);
        WireHeaders trailers = new WireHeaders(wire, trailerScanner.fieldLines());
        FieldParser fields = FIELDS.get();
        fields.reset();
        fields.parse(wire, 0, trailers);
        if (fields.contentLengths > 0 || fields.transferEncodings > 0) {
            throw new MalformedMessageException("Content-Length or Transfer-Encoding in a trailer section");
        }
        in.skipBytes(length);
        out.add(new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers));
        messageDone();
    }

    private void messageDone() {
        state = afterMessage(current);
        current = null;
    }

    /** Refuses the message: one failed message, and nothing more is decoded from this connection. */
    private void fail(ByteBuf in, List<Object> out, DecoderException cause) {
        boolean inBody = state != State.HEAD;
        HttpMessage head = current;
        state = State.FAILED;
        current = null;
        in.skipBytes(in.readableBytes());
        if (inBody) {
            LastHttpContent end = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, EmptyHttpHeaders.INSTANCE);
            end.setDecoderResult(DecoderResult.failure(cause));
            out.add(end);
        } else {
            if (head == null) {
                head = placeholder();
            }
            head.setDecoderResult(DecoderResult.failure(cause));
            out.add(head);
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (state == State.UNTIL_CLOSE) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);        // the connection's end is the body's
            messageDone();
        }
        // A head or body cut short by the close is not reported as a message: the handler sees the channel go
        // inactive, which is what happened (Netty reports only a head cut short, as a failure).
    }

    /**
     * RFC 9112 §2.3: exactly {@code HTTP/1.1} or {@code HTTP/1.0}; another {@code HTTP/DIGIT.DIGIT} is 505. Reads
     * a byte only once every byte before it matched something other than LF, so it cannot run past the line.
     */
    static HttpVersion httpVersion(byte[] a, int i) {
        if (a[i] != 'H' || a[i + 1] != 'T' || a[i + 2] != 'T' || a[i + 3] != 'P' || a[i + 4] != '/'
                || !isDigit(a[i + 5]) || a[i + 6] != '.' || !isDigit(a[i + 7])) {
            throw new MalformedMessageException("an invalid HTTP version");
        }
        if (a[i + 5] == '1' && a[i + 7] == '1') {
            return HttpVersion.HTTP_1_1;
        }
        if (a[i + 5] == '1' && a[i + 7] == '0') {
            return HttpVersion.HTTP_1_0;
        }
        throw new UnsupportedVersionException("HTTP/" + (char) a[i + 5] + "." + (char) a[i + 7] + " is not supported");
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static byte[] scratch(int length) {
        byte[] a = SCRATCH.get();
        if (a.length < length) {
            a = new byte[Math.max(length, a.length * 2)];
            SCRATCH.set(a);
        }
        return a;
    }
}
