package io.healthyproxy.maelstrom.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts a byte stream into top-level JSON values: one per line, pretty-printed over many lines, or several on
 * one line, it makes no difference. It understands just enough JSON to find where a value ends (nesting,
 * strings and escapes); parsing is left to {@link MessageCodec}.
 *
 * <p>Implementation notes: the point of framing before parsing is that a bad value costs only itself. A
 * value that never closes would otherwise swallow the rest of the stream, so the framer resynchronises: a
 * line that starts with <code>{</code> in column 0 while a value is still open ends that value as
 * {@link Frame.Problem#TRUNCATED} and starts a new one. Pretty-printers indent nested lines, so this never
 * splits a well-formed message. Anything between values that cannot start one (stray text, a lone
 * <code>}</code>) becomes a frame of its own up to the next whitespace, and fails to parse as such. Not
 * thread-safe: one reader thread owns it.
 */
public final class MessageFramer {

    private static final int EOF = -1;

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private int pushedBack = EOF;
    private boolean firstByte = true;

    public MessageFramer(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** Returns the next value, or {@code null} at the end of the stream. */
    public Frame next() throws IOException {
        int b = skipWhitespace();
        if (b == EOF) {
            return null;
        }
        FrameBuilder frame = new FrameBuilder(maxBytes);
        if (b == '{' || b == '[') {
            return readContainer(b, frame);
        }
        if (b == '"') {
            return readString(frame);
        }
        return readBare(b, frame);
    }

    private Frame readContainer(int open, FrameBuilder frame) throws IOException {
        frame.append(open);
        int depth = 1;
        boolean inString = false;
        boolean escaped = false;
        while (true) {
            int b = read();
            if (b == EOF) {
                return frame.build(Frame.Problem.TRUNCATED);
            }
            if (b == '\n') {
                int next = peek();
                if (next == '{') {
                    return frame.build(Frame.Problem.TRUNCATED);
                }
            }
            frame.append(b);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == 0) {
                return frame.build(Frame.Problem.NONE);
            }
        }
    }

    private Frame readString(FrameBuilder frame) throws IOException {
        frame.append('"');
        boolean escaped = false;
        while (true) {
            int b = read();
            if (b == EOF || b == '\n') {
                return frame.build(Frame.Problem.TRUNCATED);
            }
            frame.append(b);
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                return frame.build(Frame.Problem.NONE);
            }
        }
    }

    /** A number, a literal, or stray text: up to the next whitespace or the start of a container or string. */
    private Frame readBare(int first, FrameBuilder frame) throws IOException {
        frame.append(first);
        while (true) {
            int b = peek();
            if (b == EOF || isWhitespace(b) || b == '{' || b == '[' || b == '"') {
                return frame.build(Frame.Problem.NONE);
            }
            frame.append(read());
        }
    }

    private int skipWhitespace() throws IOException {
        while (true) {
            int b = read();
            if (firstByte) {
                firstByte = false;
                if (b == 0xEF && skipByteOrderMark()) {
                    continue;
                }
            }
            if (b == EOF || !isWhitespace(b)) {
                return b;
            }
        }
    }

    private boolean skipByteOrderMark() throws IOException {
        if (peek() != 0xBB) {
            return false;
        }
        read();
        if (peek() != 0xBF) {
            return false;
        }
        read();
        return true;
    }

    private static boolean isWhitespace(int b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private int peek() throws IOException {
        if (pushedBack == EOF) {
            pushedBack = readRaw();
        }
        return pushedBack;
    }

    private int read() throws IOException {
        int b;
        if (pushedBack != EOF) {
            b = pushedBack;
            pushedBack = EOF;
        } else {
            b = readRaw();
        }
        return b;
    }

    private int readRaw() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return EOF;
            }
        }
        return buffer[position++] & 0xFF;
    }

    /** Collects a frame's bytes up to the size limit, then only notes that there were more. */
    private static final class FrameBuilder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final int max;
        private boolean tooLarge;

        FrameBuilder(int max) {
            this.max = max;
        }

        void append(int b) {
            if (bytes.size() < max) {
                bytes.write(b);
            } else {
                tooLarge = true;
            }
        }

        Frame build(Frame.Problem problem) {
            return new Frame(bytes.toByteArray(), tooLarge ? Frame.Problem.TOO_LARGE : problem);
        }
    }
}
