package io.healthyproxy.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for tests: dnsmasq on 127.0.0.1 and a port of its own, answering only for the names it is
 * given (A records from a hosts file, SRV records from its config) and saying NXDOMAIN for every other name
 * under {@code .test}. Answers carry a TTL of 1 s. {@link #hosts} changes the A records in place (dnsmasq reads
 * its hosts file again on SIGHUP); {@link #srv} restarts it with new SRV records; {@link #stop} and
 * {@link #restart} make it go silent and come back on the same port.
 *
 * <p>Needs the {@code dnsmasq} binary (Debian: {@code dnsmasq-base}; {@code .ci/run} installs it).
 */
public final class Dnsmasq implements AutoCloseable {

    /** One SRV record: {@code name} served by {@code target:port}. */
    public record Srv(String name, String target, int port, int priority, int weight) {
    }

    private static final String BINARY = "dnsmasq";

    private final Path dir;
    private final Path hostsFile;
    private final Path configFile;
    private int port;
    private Process process;
    /** How many times it has said it read the hosts file; guarded by {@code this}. */
    private int hostsReads;

    private Dnsmasq(Path dir) {
        this.dir = dir;
        this.hostsFile = dir.resolve("hosts");
        this.configFile = dir.resolve("dnsmasq.conf");
    }

    /** Starts dnsmasq with {@code hosts} (name → addresses) and {@code srv} records. */
    public static Dnsmasq start(Map<String, List<String>> hosts, List<Srv> srv) {
        try {
            Dnsmasq d = new Dnsmasq(Files.createTempDirectory("dnsmasq"));
            d.writeHosts(hosts);
            d.writeConfig(srv);
            d.launchOnFreePort();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's address, as a resolver config wants it: {@code 127.0.0.1:<port>}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Replaces every A record, and waits until dnsmasq has read them. */
    public synchronized void hosts(Map<String, List<String>> hosts) throws InterruptedException {
        writeHosts(hosts);
        int before = hostsReads;
        signalHangUp();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hostsReads == before) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("dnsmasq did not read its hosts file again within 10 s");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Replaces every SRV record: dnsmasq restarts on the same port to read them. */
    public synchronized void srv(List<Srv> records) throws InterruptedException {
        writeConfig(records);
        restart();
    }

    /** Stops answering: the process ends, its port stays unanswered until {@link #restart}. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** Starts again on the same port, with the records last given. */
    public synchronized void restart() throws InterruptedException {
        stop();
        if (!launch(port)) {
            throw new IllegalStateException("dnsmasq could not start again on port " + port);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind harms nothing
        }
    }

    // ---- the process --------------------------------------------------------------------------------------

    private void launchOnFreePort() {
        // A port free for UDP now may be taken before dnsmasq binds it: then it says so and exits, and another
        // port is tried. The number is never reused while dnsmasq runs, so this cannot flap afterwards.
        for (int i = 0; i < 10; i++) {
            int candidate = freeUdpPort();
            if (launch(candidate)) {
                port = candidate;
                return;
            }
        }
        throw new IllegalStateException("dnsmasq did not start on any of 10 free ports (see its output above)");
    }

    /** Starts dnsmasq on {@code p}; true once it serves, false if it exited (its port was taken). */
    private synchronized boolean launch(int p) {
        List<String> command = new ArrayList<>(List.of(binary(), "--keep-in-foreground", "--conf-file=" + configFile,
                "--no-resolv", "--no-hosts", "--addn-hosts=" + hostsFile, "--port=" + p,
                "--listen-address=127.0.0.1", "--bind-interfaces", "--local-ttl=1", "--local=/test/",
                "--no-negcache", "--pid-file=" + dir.resolve("pid"), "--log-facility=-", "--user=" + user()));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("dnsmasq could not run (" + e.getMessage()
                    + "); install it: apt-get install dnsmasq-base (bash .ci/run does)", e);
        }
        Process started = process;
        boolean[] ready = new boolean[1];
        Thread reader = new Thread(() -> readOutput(started, ready), "dnsmasq-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (!ready[0] && started.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("dnsmasq did not start within 10 s");
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dnsmasq started", e);
        }
        if (!ready[0]) {
            process = null;
            return false;
        }
        return true;
    }

    /** Echoes dnsmasq's lines, and notes when it has read its hosts file (it then answers from it). */
    private void readOutput(Process p, boolean[] ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                System.err.println("[dnsmasq] " + line);
                if (line.contains("read " + hostsFile)) {
                    synchronized (this) {
                        ready[0] = true;
                        hostsReads++;
                        notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        synchronized (this) {
            notifyAll();
        }
    }

    private void signalHangUp() {
        try {
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -HUP " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void writeHosts(Map<String, List<String>> hosts) {
        StringBuilder s = new StringBuilder();
        hosts.forEach((name, addresses) -> addresses.forEach(a -> s.append(a).append(' ').append(name).append('\n')));
        write(hostsFile, s.toString());
    }

    private void writeConfig(List<Srv> records) {
        StringBuilder s = new StringBuilder();
        for (Srv r : records) {
            s.append("srv-host=").append(r.name()).append(',').append(r.target()).append(',').append(r.port())
                    .append(',').append(r.priority()).append(',').append(r.weight()).append('\n');
        }
        write(configFile, s.toString());
    }

    private static void write(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String binary() {
        for (String dir : List.of("/usr/sbin", "/usr/local/sbin", "/sbin")) {
            Path p = Path.of(dir, BINARY);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return BINARY;
    }

    /** dnsmasq drops root for "nobody" unless told otherwise, and then may not read the temporary files. */
    private static String user() {
        return System.getProperty("user.name");
    }
}
