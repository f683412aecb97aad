package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine and the peers' versions, for the report's header. */
record Versions(String machine, String java, String haproxy, String nginx, String wrk, String load) {

    static Versions probe() {
        return new Versions(Runtime.getRuntime().availableProcessors() + " cores, " + firstLine("uname", "-sr"),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                firstLine("haproxy", "-v"), firstLine("nginx", "-v"), firstLine("wrk", "--version"), loadAverage());
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}): how busy the shared machine was. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String firstLine(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("?").trim();
        } catch (IOException | InterruptedException e) {
            return "not found";
        }
    }
}
