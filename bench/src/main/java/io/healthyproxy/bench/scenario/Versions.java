package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine and the peers' versions, for the report's header. */
record Versions(String machine, String java, String haproxy, String nginx, String wrk) {

    static Versions probe() {
        return new Versions(Runtime.getRuntime().availableProcessors() + " cores, " + firstLine("uname", "-sr"),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                firstLine("haproxy", "-v"), firstLine("nginx", "-v"), firstLine("wrk", "--version"));
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
