package io.healthyproxy.testkit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain socket to a server (a {@link ControllableBackend}, or the proxy), for the tests that need to send or see
 * bytes and TCP endings no HTTP client shows: a reset after half a body, garbage instead of a status line, two
 * requests on one connection, a smuggling attempt.
 */
public final class RawConnection implements AutoCloseable {

    /** A "should happen" bound: no read in these tests legitimately waits this long. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    static RawConnection to(ControllableBackend backend) {
        return to(backend.port());
    }

    public static RawConnection to(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code GET path} with a Host header and the given extra header lines (each without CRLF). */
    public RawConnection sendGet(String path, String... headerLines) {
        return send("GET", path, headerLines);
    }

    public RawConnection send(String method, String path, String... headerLines) {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: raw.test\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return sendRaw(request.append("\r\n").toString());
    }

    public RawConnection sendRaw(String bytes) {
        try {
            socket.getOutputStream().write(bytes.getBytes(ISO_8859_1));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response: head, then a body by its Content-Length or chunks (none if {@code toHead}). */
    public Response readResponse(boolean toHead) throws IOException {
        String head = readHead();
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.put(name, lines[i].substring(colon + 1).trim());
        }
        if (!toHead && "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, readChunks());
        }
        int length = toHead ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("body ended after " + body.length + " of " + length + " bytes");
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, ISO_8859_1));
    }

    public Response readResponse() throws IOException {
        return readResponse(false);
    }

    /** Reads until the backend ends the connection, and says how it ended. */
    public Ending readUntilEnd() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                received.write(chunk, 0, n);
            }
            return new Ending(received.toString(ISO_8859_1), false);
        } catch (SocketException reset) {
            return new Ending(received.toString(ISO_8859_1), true);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readChunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return body.toString(ISO_8859_1);
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection ended mid-line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(ISO_8859_1);
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection ended inside a response head: " + head.toString(ISO_8859_1));
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(ISO_8859_1).trim();
    }

    /** One response, headers by lower-case name. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    /** What came before the connection ended, and whether it ended in a reset (RST) rather than an orderly FIN. */
    public record Ending(String received, boolean reset) {
    }
}
