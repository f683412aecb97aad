package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Start-up time as a user feels it: from starting the process to the first {@code 200} proxied through it
 * ({@code GET /}, a fresh connection every 1 ms until one is answered), median of several starts, each a new
 * process. For HealthyProxy that includes {@code bin/healthy-proxy}'s own work (its check that the jar is up to
 * date) and the JVM's start, as {@code serve} is started in production.
 */
final class StartUp {

    /** Milliseconds from process start to the first 200: median, fastest and slowest of {@code runs}. */
    record Result(double medianMs, double minMs, double maxMs, int runs) {

        static Result of(List<Double> ms) {
            double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Result(sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], sorted.length);
        }
    }

    private static final long PATIENCE_NANOS = 60_000_000_000L;

    private StartUp() {
    }

    /** One start of {@code fresh} (not started yet), stopped again: milliseconds to its first 200. */
    static double once(ProxyPeer fresh) throws InterruptedException {
        try {
            long start = System.nanoTime();
            fresh.startProcess();
            int port = fresh.awaitPort(1);
            awaitFirst200(port, start + PATIENCE_NANOS, fresh.label());
            return (System.nanoTime() - start) / 1e6;
        } finally {
            fresh.stop();
        }
    }

    private static void awaitFirst200(int port, long deadline, String what) throws InterruptedException {
        byte[] request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
                InputStream in = s.getInputStream();
                byte[] status = in.readNBytes(12);
                if (new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 200")) {
                    return;
                }
            } catch (IOException notYet) {
                // refused (not listening yet) or cut off: try again
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException(what + " did not answer 200 within 60 s of its start");
    }
}
