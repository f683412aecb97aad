package io.healthyproxy.http.internal.warmup;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes a warm-up connection has received and not yet consumed, copied out of Netty's buffers into an
 * array, with the few searches the warm-up's client and backend need to find where a message ends. Plain
 * array code on purpose: the warm-up's own parsing must not run through the buffer and decoder methods the
 * proxy's codec uses, or their compiled code would be shaped (and slowed) by calls real traffic never makes.
 * Confined to one channel's event loop.
 */
final class Received {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] LAST_CHUNK = {'\r', '\n', '0', '\r', '\n', '\r', '\n'};
    private static final byte[] CONTENT_LENGTH = "\ncontent-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "\ntransfer-encoding: chunked".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes = new byte[4096];
    private int start;
    private int end;

    /** Appends what {@code buf} holds and releases it. */
    void add(ByteBuf buf) {
        try {
            int n = buf.readableBytes();
            if (end + n > bytes.length) {
                System.arraycopy(bytes, start, bytes, 0, end - start);
                end -= start;
                start = 0;
                if (end + n > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, end + n));
                }
            }
            buf.getBytes(buf.readerIndex(), bytes, end, n);
            end += n;
        } finally {
            buf.release();
        }
    }

    /**
     * The length of the first whole message in what was received, or -1 if it has not all come yet: a head,
     * then a body of its Content-Length, or chunks up to the last one (the warm-up's bodies never contain
     * {@code \r\n0\r\n\r\n}), or none.
     */
    int firstMessageLength() {
        int head = indexOf(HEAD_END, start, end);
        if (head < 0) {
            return -1;
        }
        int headEnd = head + HEAD_END.length;
        if (indexOfIgnoringCase(CHUNKED, start, headEnd) >= 0) {
            int last = indexOf(LAST_CHUNK, headEnd - 2, end);
            return last < 0 ? -1 : last + LAST_CHUNK.length - start;
        }
        int length = contentLength(headEnd);
        return headEnd + length > end ? -1 : headEnd - start + length;
    }

    /** The three digits of a response's status code, for the first message (a response). */
    int statusCode() {
        int s = start + "HTTP/1.1 ".length();
        return (bytes[s] - '0') * 100 + (bytes[s + 1] - '0') * 10 + (bytes[s + 2] - '0');
    }

    /** Whether the first message's start line (up to its CRLF) contains {@code text}. */
    boolean startLineContains(byte[] text) {
        int lineEnd = indexOf(CRLF, start, end);
        return lineEnd >= 0 && indexOf(text, start, lineEnd) >= 0;
    }

    /** How many bytes were received and not yet consumed. */
    int length() {
        return end - start;
    }

    /** The byte at {@code offset} from the first not consumed, from 0 to 255. */
    int unsignedByte(int offset) {
        return bytes[start + offset] & 0xff;
    }

    /** Forgets the first {@code n} bytes. */
    void consume(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    private int contentLength(int headEnd) {
        int at = indexOfIgnoringCase(CONTENT_LENGTH, start, headEnd);
        if (at < 0) {
            return 0;
        }
        int value = 0;
        for (int i = at + CONTENT_LENGTH.length; i < headEnd; i++) {
            byte b = bytes[i];
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
            } else if (b != ' ') {
                break;
            }
        }
        return value;
    }

    private int indexOf(byte[] pattern, int from, int to) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** {@code pattern} is lower case; the bytes are compared ASCII-case-insensitively. */
    private int indexOfIgnoringCase(byte[] pattern, int from, int to) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                byte b = bytes[i + j];
                if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
