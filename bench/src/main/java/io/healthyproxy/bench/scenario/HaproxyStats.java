package io.healthyproxy.bench.scenario;

import io.healthyproxy.bench.scenario.ProxyPeer.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HAProxy's ejections, from its stats socket ({@code show stat}, CSV): {@code chkdown}, the times each server went
 * from UP to DOWN, whether its active checks failed or its passive checks ({@code on-error mark-down}) marked it
 * down; and, with passive checks, {@code hanafail}, the errors they saw on real traffic (which tells whether they
 * had a chance to act).
 */
final class HaproxyStats implements EjectionProbe {

    /** The backend section of {@code bench/peers/haproxy.cfg}. */
    private static final String BACKEND = "be";

    private final Path socket;
    private final boolean passiveChecks;
    private String before;

    HaproxyStats(Path socket, boolean passiveChecks) {
        this.socket = socket;
        this.passiveChecks = passiveChecks;
    }

    /** Where a peer of {@code kind} has its stats socket (the template's {@code STATS_SOCKET}). */
    static Path socket(Workspace work, Kind kind) {
        return work.file(kind.name().toLowerCase(Locale.ROOT) + ".sock");
    }

    @Override
    public void start() throws IOException {
        before = showStat();
    }

    @Override
    public Ejections since() throws IOException {
        String after = showStat();
        Ejections down = Ejections.counted(increase(before, after, "chkdown"));
        if (!passiveChecks) {
            return down;
        }
        int seen = increase(before, after, "hanafail").values().stream().mapToInt(Integer::intValue).sum();
        return down.withDetail("passive checks saw " + seen + " error" + (seen == 1 ? "" : "s"));
    }

    /** Per server, how much {@code column} grew from one {@code show stat} answer to a later one. */
    static Map<String, Integer> increase(String before, String after, String column) {
        Map<String, Integer> from = perServer(before, column);
        Map<String, Integer> grown = new HashMap<>();
        perServer(after, column).forEach((server, n) -> grown.put(server, n - from.getOrDefault(server, 0)));
        return grown;
    }

    private String showStat() throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {     // HAProxy closes after answering one command
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.US_ASCII);
        }
    }

    /** Per server of the backend {@code be}, its {@code column} in a {@code show stat} answer (empty counts as 0). */
    static Map<String, Integer> perServer(String csv, String column) {
        String[] lines = csv.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# ")) {
            throw new IllegalArgumentException("not a 'show stat' answer: " + csv.substring(0, Math.min(200, csv.length())));
        }
        List<String> header = Arrays.asList(lines[0].substring(2).split(",", -1));
        int proxy = header.indexOf("pxname");
        int server = header.indexOf("svname");
        int value = header.indexOf(column);
        if (value < 0) {
            throw new IllegalArgumentException("'show stat' has no column " + column);
        }
        Map<String, Integer> values = new HashMap<>();
        for (String line : Arrays.asList(lines).subList(1, lines.length)) {
            String[] f = line.split(",", -1);
            if (f.length > value && f[proxy].equals(BACKEND) && !f[server].equals("BACKEND")) {
                values.put(f[server], f[value].isEmpty() ? 0 : Integer.parseInt(f[value]));
            }
        }
        return values;
    }
}
