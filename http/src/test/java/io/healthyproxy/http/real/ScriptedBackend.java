package io.healthyproxy.http.real;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A backend that speaks HTTP/1.1 byte by byte as a test scripts it, over a plain socket: it records every
 * request exactly as the bytes arrived (head, body and chunked framing included) and answers with the raw
 * bytes the script gives for it — interim responses, trailers, whatever a real server might send. One thread
 * per connection; connections are kept alive.
 */
public final class ScriptedBackend implements AutoCloseable {

    private final ServerSocket listener;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Function<String, String> script;

    /** @param script the raw response for each raw request (ISO-8859-1 text, CRLFs included) */
    private ScriptedBackend(Function<String, String> script) {
        this.script = script;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "scripted-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static ScriptedBackend start(Function<String, String> script) {
        return new ScriptedBackend(script);
    }

    /** A 200 with {@code body} and a Content-Length. */
    public static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    public String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Every request received, as its exact bytes (ISO-8859-1). */
    public List<String> requests() {
        return requests;
    }

    /** The last request that was not a health check. */
    public String lastRequest() {
        for (int i = requests.size() - 1; i >= 0; i--) {
            if (!requests.get(i).startsWith("GET /health ")) {
                return requests.get(i);
            }
        }
        throw new AssertionError("no request but health checks: " + requests);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                sockets.add(socket);
                Thread t = new Thread(() -> serve(socket), "scripted-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                String request = readRequest(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                String response = request.startsWith("GET /health ") ? ok("ok") : script.apply(request);
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (SocketException gone) {
            // the proxy closed the connection
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One whole request — head, then a body by Content-Length or chunked — or null at the end of input. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        String head = readUntil(in, raw, "\r\n\r\n");
        if (head == null) {
            return null;
        }
        String lower = head.toLowerCase();
        int length = lower.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            int end = lower.indexOf("\r\n", length + 2);
            int bytes = Integer.parseInt(head.substring(length + 17, end).trim());
            raw.write(in.readNBytes(bytes));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                String size = readUntil(in, raw, "\r\n");
                int n = Integer.parseInt(size.trim().split(";")[0].trim(), 16);
                if (n == 0) {
                    readUntilBlankLine(in, raw);           // the trailer section
                    break;
                }
                raw.write(in.readNBytes(n + 2));
            }
        }
        return raw.toString(StandardCharsets.ISO_8859_1);
    }

    private static void readUntilBlankLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
        while (true) {
            int before = raw.size();
            readUntil(in, raw, "\r\n");
            if (raw.size() - before == 2) {
                return;
            }
        }
    }

    /** Reads into {@code raw} up to and including {@code end}; returns what this call read, or null at EOF. */
    private static String readUntil(InputStream in, ByteArrayOutputStream raw, String end) throws IOException {
        byte[] tail = end.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            raw.write(b);
            read.write(b);
            matched = b == tail[matched] ? matched + 1 : (b == tail[0] ? 1 : 0);
            if (matched == tail.length) {
                return read.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
