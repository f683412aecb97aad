package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and resident memory of a process and its descendants, from {@code /proc} (Linux): user and system
 * time from {@code /proc/PID/stat}, apart (a proxy's system time is mostly the kernel's socket work, its user time
 * its own code), {@code VmRSS} from {@code /proc/PID/status}. Descendants count because NGINX serves from worker
 * processes under its master; HAProxy and the JVMs are one process each.
 *
 * <p>RSS of several processes is summed, so pages they share (NGINX's workers share the binary's code and the
 * master's copy-on-write memory) count once per process: NGINX's figure is an upper bound, by about 2 MiB for 2
 * workers.
 */
record ProcessStats(long userNanos, long systemNanos, long rssBytes) {

    /** {@code /proc/PID/stat} counts in clock ticks of 1/100 s: USER_HZ is 100 on every Linux this runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** The process {@code pid} and every process under it, now; zeros if it is gone. */
    static ProcessStats of(long pid) {
        long user = 0;
        long system = 0;
        long rss = 0;
        for (long p : tree(pid)) {
            String[] stat = statFields(p);
            if (stat != null) {
                // Fields after the command: state(0) ppid(1) ... utime(11) stime(12), i.e. stat(5)'s fields 14 and 15.
                user += Long.parseLong(stat[11]) * NANOS_PER_TICK;
                system += Long.parseLong(stat[12]) * NANOS_PER_TICK;
            }
            rss += rssBytes(p);
        }
        return new ProcessStats(user, system, rss);
    }

    ProcessStats minus(ProcessStats before) {
        return new ProcessStats(userNanos - before.userNanos, systemNanos - before.systemNanos,
                rssBytes - before.rssBytes);
    }

    /** User + system time: what the process cost the machine's cores. */
    long cpuNanos() {
        return userNanos + systemNanos;
    }

    double rssMiB() {
        return rssBytes / (1024.0 * 1024.0);
    }

    private static List<Long> tree(long root) {
        List<Long> found = new ArrayList<>(List.of(root));
        List<long[]> parents = new ArrayList<>();      // {pid, ppid} of every process
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path proc : procs) {
                String[] stat = statFields(Long.parseLong(proc.getFileName().toString()));
                if (stat != null) {
                    parents.add(new long[] {Long.parseLong(proc.getFileName().toString()), Long.parseLong(stat[1])});
                }
            }
        } catch (IOException e) {
            return found;
        }
        for (int i = 0; i < found.size(); i++) {
            long parent = found.get(i);
            for (long[] p : parents) {
                if (p[1] == parent) {
                    found.add(p[0]);
                }
            }
        }
        return found;
    }

    private static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (NoSuchFileException gone) {
            return 0;
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** The fields of {@code /proc/PID/stat} after the command name (which may hold spaces and parentheses). */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }
}
