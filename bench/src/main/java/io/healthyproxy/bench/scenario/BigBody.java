package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Big bodies through proxies, timed by curl: a download of a file the NGINX backends serve from /tmp
 * ({@code GET /big/<file>}, sendfile on their side), or an upload to the {@link SinkBackend}s ({@code POST}, the
 * body streamed from the file with its length, no {@code Expect: 100-continue}). The proxy's RSS is sampled
 * every 100 ms meanwhile: a proxy that streams stays flat; one that buffers grows by the body. Measured in
 * {@link #rounds}: an unmeasured warm-up transfer through each proxy first (a JVM's body path, and the JVM sink's,
 * would otherwise be compiled during the first measured one, which is warm-up, not throughput: 0.72× HAProxy's
 * upload cold against 1.0× warm, 2026-12-01), then the proxies alternating, the median taken.
 */
final class BigBody {

    /** One transfer: MB/s (10^6 bytes) as curl timed it, the bytes moved and the answer, RSS before, peak, after. */
    record Transfer(double megabytesPerSecond, long bytes, int status, double rssBeforeMiB, double rssPeakMiB,
            double rssAfterMiB) {

        boolean complete(long expected) {
            return status == 200 && bytes == expected;
        }
    }

    /**
     * The rounds of one proxy: MB/s is their median, complete if every one was, RSS before the first, the peak of
     * all and after the last.
     */
    record Rounds(List<Transfer> each) {

        double megabytesPerSecond() {
            double[] speeds = each.stream().mapToDouble(Transfer::megabytesPerSecond).sorted().toArray();
            return speeds.length == 0 ? 0 : speeds[speeds.length / 2];
        }

        boolean complete(long expected) {
            return !each.isEmpty() && each.stream().allMatch(t -> t.complete(expected));
        }

        /** The first round that was not complete, or the last: what a failed run shows. */
        Transfer failed(long expected) {
            return each.stream().filter(t -> !t.complete(expected)).findFirst().orElse(each.get(each.size() - 1));
        }

        double rssBeforeMiB() {
            return each.get(0).rssBeforeMiB();
        }

        double rssPeakMiB() {
            return each.stream().mapToDouble(Transfer::rssPeakMiB).max().orElse(0);
        }

        double rssAfterMiB() {
            return each.get(each.size() - 1).rssAfterMiB();
        }
    }

    /** A transfer of {@code bytes} through one proxy. */
    @FunctionalInterface
    interface Way {
        Transfer through(ProxyPeer peer, long bytes) throws InterruptedException;
    }

    /**
     * {@code count} transfers of {@code bytes} {@code way} through each of {@code peers}, alternating, after one
     * unmeasured warm-up transfer of the same size through each; {@code log} hears each. The same size because a
     * smaller one leaves the JIT compiling during the first measured round: 128 MiB (2,000 pieces of 64 KiB) did,
     * and its scratch memory showed as +25 MiB of RSS at the peak, against +4 after a whole 1 GiB warm-up.
     */
    static Map<ProxyPeer.Kind, Rounds> rounds(List<ProxyPeer> peers, Way way, String what, long bytes, int count,
            java.util.function.Consumer<String> log) throws InterruptedException {
        for (ProxyPeer peer : peers) {
            log.accept(what + " warm-up through " + peer.label());
            way.through(peer, bytes);
        }
        Map<ProxyPeer.Kind, List<Transfer>> each = new EnumMap<>(ProxyPeer.Kind.class);
        for (int round = 0; round < count; round++) {
            // Alternate who goes first, so that neither always meets the machine as the other left it.
            List<ProxyPeer> order = new ArrayList<>(peers);
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (ProxyPeer peer : order) {
                log.accept(what + " of " + fileName(bytes) + " " + (round + 1) + "/" + count + " through " + peer.label());
                each.computeIfAbsent(peer.kind, k -> new ArrayList<>()).add(way.through(peer, bytes));
            }
        }
        Map<ProxyPeer.Kind, Rounds> rounds = new EnumMap<>(ProxyPeer.Kind.class);
        each.forEach((kind, transfers) -> rounds.put(kind, new Rounds(List.copyOf(transfers))));
        return rounds;
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
