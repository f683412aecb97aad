package io.healthyproxy.http.internal.warmup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The warm-up's requests as HTTP/2 frames, for the lanes that speak h2 over TLS (as browsers and most service
 * clients do when the listener offers it): header blocks encoded once, by hand, with HPACK's static table and
 * plain literals (no Huffman, no dynamic table: valid HPACK, and the proxy's decoder meets both kinds of field),
 * and the few frames a client must answer. Written by hand rather than with Netty's HTTP/2 client for the
 * reason {@link Received} gives: the warm-up's own work must not shape the compiled code of the proxy's codec.
 */
final class H2Requests {

    static final int HEADERS = 0x1;
    static final int DATA = 0x0;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;

    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY = 0x20;

    /** A frame's fixed part: length (3), type, flags, stream id (4). */
    static final int FRAME_HEADER = 9;

    /**
     * The connection preface, an empty SETTINGS, and a connection window of 16 MiB more than the 64 KiB default,
     * so that no answer of a cycle waits for a WINDOW_UPDATE from a client that sends none.
     */
    static final byte[] PREFACE;
    static final byte[] SETTINGS_ACK = frame(SETTINGS, ACK, 0, new byte[0]);

    static {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(frame(SETTINGS, 0, 0, new byte[0]));
        out.writeBytes(frame(0x8, 0, 0, new byte[] {0x01, 0x00, 0x00, 0x00}));     // WINDOW_UPDATE +16 MiB
        PREFACE = out.toByteArray();
    }

    private final byte[][] blocks;
    private final byte[][] bodies;

    /**
     * The requests of one cycle: {@code methods[n]} on {@code paths[n]} with {@code fields[n]} (HTTP/1.1
     * field lines, CRLF each, Host among them) and {@code bodies[n]} (empty for none).
     */
    H2Requests(String[] methods, String[] paths, String[] fields, String[] bodies) {
        this.blocks = new byte[methods.length][];
        this.bodies = new byte[methods.length][];
        for (int n = 0; n < methods.length; n++) {
            this.bodies[n] = bodies[n].getBytes(StandardCharsets.US_ASCII);
            blocks[n] = headerBlock(methods[n], paths[n], fields[n]);
        }
    }

    /** The frames of request {@code n} of the cycle on stream {@code streamId}: HEADERS, and DATA for a body. */
    byte[] request(int n, int streamId) {
        byte[] body = bodies[n];
        if (body.length == 0) {
            return frame(HEADERS, END_HEADERS | END_STREAM, streamId, blocks[n]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(frame(HEADERS, END_HEADERS, streamId, blocks[n]));
        out.writeBytes(frame(DATA, END_STREAM, streamId, body));
        return out.toByteArray();
    }

    /**
     * The status code a response's header block starts with, when the server encoded it from HPACK's static
     * table (Netty does for 200 and 404, the only statuses the warm-up's backends give); -1 for anything else.
     */
    static int statusOf(int firstByteOfBlock) {
        return switch (firstByteOfBlock) {
            case 0x88 -> 200;
            case 0x8d -> 404;
            default -> -1;
        };
    }

    /** A frame of {@code type} with {@code flags} on {@code streamId}, around {@code payload}. */
    static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        byte[] frame = new byte[FRAME_HEADER + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        frame[5] = (byte) (streamId >>> 24);
        frame[6] = (byte) (streamId >>> 16);
        frame[7] = (byte) (streamId >>> 8);
        frame[8] = (byte) streamId;
        System.arraycopy(payload, 0, frame, FRAME_HEADER, payload.length);
        return frame;
    }

    /**
     * HPACK for one request: {@code :method} and {@code :scheme} from the static table, {@code :authority}
     * (from the kind's Host) and {@code :path} as literals with a static name, the other fields as literals with
     * a literal name, in lower case; Connection is dropped, HTTP/2 has none.
     */
    private static byte[] headerBlock(String method, String path, String fieldLines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(method.equals("POST") ? 0x83 : 0x82);       // :method POST (index 3) or GET (2)
        out.write(0x87);                                      // :scheme https (7)
        literalWithStaticName(out, 4, path);                  // :path
        String[] lines = fieldLines.split("\r\n");
        for (String line : lines) {                           // pseudo-fields come before every other field
            if (name(line).equals("host")) {
                literalWithStaticName(out, 1, value(line));   // :authority
            }
        }
        for (String line : lines) {
            String name = name(line);
            if (!name.equals("host") && !name.equals("connection")) {
                out.write(0x00);                              // literal without indexing, new name
                string(out, name);
                string(out, value(line));
            }
        }
        return out.toByteArray();
    }

    private static String name(String fieldLine) {
        return fieldLine.substring(0, fieldLine.indexOf(':')).toLowerCase(Locale.ROOT);
    }

    private static String value(String fieldLine) {
        return fieldLine.substring(fieldLine.indexOf(':') + 1).trim();
    }

    /** A literal without indexing whose name is static table entry {@code index} (4-bit prefix, so below 15). */
    private static void literalWithStaticName(ByteArrayOutputStream out, int index, String value) {
        out.write(index);
        string(out, value);
    }

    /** An HPACK string without Huffman coding: its length as a 7-bit-prefix integer, then its bytes. */
    private static void string(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        int length = bytes.length;
        if (length < 127) {
            out.write(length);
        } else {
            out.write(127);
            length -= 127;
            while (length >= 128) {
                out.write((length & 0x7f) | 0x80);
                length >>>= 7;
            }
            out.write(length);
        }
        out.writeBytes(bytes);
    }
}
