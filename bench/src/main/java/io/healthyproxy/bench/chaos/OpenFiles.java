package io.healthyproxy.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * This process's open file descriptors, counted by kind ({@code tcp ESTABLISHED :8080 → :41234},
 * {@code anon_inode:[eventpoll]}, {@code pipe}, {@code file}), read from {@code /proc}: so
 * that a soak whose descriptors did not return to baseline says which ones stayed open. Empty where there is
 * no {@code /proc} (not Linux).
 */
final class OpenFiles {

    private static final String[] TCP_STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
            "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

    private OpenFiles() {
    }

    /** Open descriptors by kind, sorted; empty if {@code /proc/self/fd} cannot be read. */
    static Map<String, Integer> byKind() {
        Map<String, String> tcpByInode = tcpSockets();
        Map<String, Integer> kinds = new TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                kinds.merge(kindOf(fd, tcpByInode), 1, Integer::sum);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Map.of();
        }
        return kinds;
    }

    /** What is in {@code after} and not (or less often) in {@code before}, with how many more. */
    static Map<String, Integer> added(Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, Integer> added = new TreeMap<>();
        after.forEach((kind, n) -> {
            int more = n - before.getOrDefault(kind, 0);
            if (more > 0) {
                added.put(kind, more);
            }
        });
        return added;
    }

    private static String kindOf(Path fd, Map<String, String> tcpByInode) {
        String target;
        try {
            target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "closed while listed";           // the listing's own descriptor, or one closed meanwhile
        }
        if (target.startsWith("socket:[")) {
            String inode = target.substring("socket:[".length(), target.length() - 1);
            return tcpByInode.getOrDefault(inode, "socket (not tcp)");
        }
        if (target.startsWith("pipe:")) {
            return "pipe";
        }
        if (target.startsWith("anon_inode:")) {
            return target;
        }
        return target.endsWith(".jar") || target.contains("/jre/") || target.contains("/lib/") ? "jar or library"
                : "file";
    }

    /** Socket inode → {@code tcp STATE local → remote}, from /proc/net/tcp and tcp6. */
    private static Map<String, String> tcpSockets() {
        Map<String, String> sockets = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10) {
                    continue;
                }
                int state = Integer.parseInt(f[3], 16);
                String name = "tcp " + (state < TCP_STATES.length ? TCP_STATES[state] : f[3]) + " " + port(f[1])
                        + " → " + port(f[2]);
                sockets.put(f[9], name);
            }
        }
        return sockets;
    }

    /** The port of an address as /proc/net/tcp writes it ({@code 0100007F:1F90}); the host is always local. */
    private static String port(String address) {
        int colon = address.lastIndexOf(':');
        return ":" + Integer.parseInt(address.substring(colon + 1), 16);
    }
}
