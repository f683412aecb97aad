package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child process of the runner, its output in a log file, with the signals the scenarios need. */
final class ManagedProcess {

    private final String name;
    private final List<String> command;
    private final Path log;
    /** Added to the runner's environment. */
    private final Map<String, String> environment;
    private Process process;

    ManagedProcess(String name, List<String> command, Path log) {
        this(name, command, log, Map.of());
    }

    ManagedProcess(String name, List<String> command, Path log, Map<String, String> environment) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.environment = Map.copyOf(environment);
    }

    void start() {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the process is gone at once, as in a crash. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then SIGKILL if it has not gone after 10 s. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        signal("CONT");                    // a stopped process cannot act on SIGTERM
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    void signal(String signal) throws InterruptedException {
        if (!isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }
}
