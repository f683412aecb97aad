package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One big body through a proxy, timed by curl: a download of a file the NGINX backends serve from /tmp
 * ({@code GET /big/<file>}, sendfile on their side), or an upload to the {@link SinkBackend}s ({@code POST}, the
 * body streamed from the file with its length, no {@code Expect: 100-continue}). The proxy's RSS is sampled
 * every 100 ms meanwhile: a proxy that streams stays flat; one that buffers grows by the body.
 */
final class BigBody {

    /** One transfer: MB/s (10^6 bytes) as curl timed it, the bytes moved and the answer, RSS before, peak, after. */
    record Transfer(double megabytesPerSecond, long bytes, int status, double rssBeforeMiB, double rssPeakMiB,
            double rssAfterMiB) {

        boolean complete(long expected) {
            return status == 200 && bytes == expected;
        }
    }

    /** Where the files live: /tmp, made once per size (sparse: no disk written, the page cache serves zeros). */
    static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "healthy-proxy-bench");
    private static final long TIMEOUT_SECONDS = 180;

    private BigBody() {
    }

    static String fileName(long bytes) {
        return bytes % (1L << 30) == 0 ? (bytes >> 30) + "g.bin" : (bytes >> 20) + "m.bin";
    }

    /** The file of {@code bytes}, made if missing. */
    static Path file(long bytes) {
        Path file = DIR.resolve(fileName(bytes));
        try {
            Files.createDirectories(DIR);
            if (!Files.exists(file) || Files.size(file) != bytes) {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.setLength(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Transfer download(ProxyPeer peer, long bytes) throws InterruptedException {
        file(bytes);
        return curl(peer, List.of("-w", "%{http_code} %{size_download} %{speed_download}",
                "http://127.0.0.1:" + peer.port() + "/big/" + fileName(bytes)));
    }

    static Transfer upload(ProxyPeer peer, long bytes) throws InterruptedException {
        return curl(peer, List.of("-w", "%{http_code} %{size_upload} %{speed_upload}", "-X", "POST", "-H", "Expect:",
                "-H", "Content-Type: application/octet-stream", "-T", file(bytes).toString(),
                "http://127.0.0.1:" + peer.port() + "/upload"));
    }

    private static Transfer curl(ProxyPeer peer, List<String> args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "--max-time",
                Long.toString(TIMEOUT_SECONDS)));
        command.addAll(args);
        double before = peer.stats().rssMiB();
        AtomicLong peakBytes = new AtomicLong((long) (before * 1024 * 1024));
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakBytes.accumulateAndGet(peer.stats().rssBytes(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        String out;
        try {
            sampler.start();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sampler.interrupt();
            sampler.join(5000);
        }
        double after = peer.stats().rssMiB();
        String[] f = out.substring(Math.max(0, out.lastIndexOf('\n') + 1)).split(" ");
        if (f.length < 3 || !f[0].matches("\\d+")) {
            return new Transfer(0, 0, 0, before, peakBytes.get() / 1048576.0, after);
        }
        return new Transfer(Double.parseDouble(f[2]) / 1e6, Long.parseLong(f[1]), Integer.parseInt(f[0]), before,
                Math.max(after, peakBytes.get() / 1048576.0), after);
    }
}
