package io.healthyproxy.app.serve;

import io.healthyproxy.app.config.ConfigException;
import io.healthyproxy.app.config.ConfigProblem;
import io.healthyproxy.http.HttpProxy;
import io.healthyproxy.http.ReloadOutcome;
import io.healthyproxy.http.ReloadSummary;
import io.healthyproxy.http.config.ProxyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a running proxy from its config file, whichever way it is asked: {@code SIGHUP}, {@code POST /reload}
 * on the admin API, or the file changing ({@code serve --watch}). The file is read and checked first; a config
 * with problems is refused — every problem logged (file, line, key, as {@code check-config} prints them) and
 * answered — and the running one serves on. Reloads are serialised.
 */
public final class ConfigReloader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** Reads the config afresh: the file with the command line's flags over it. */
    @FunctionalInterface
    public interface Source {
        ProxyConfig read() throws ConfigException;
    }

    private final HttpProxy proxy;
    private final Source source;
    private final Path file;
    private ScheduledExecutorService watcher;
    private byte[] lastSeen;

    public ConfigReloader(HttpProxy proxy, Source source, Path file) {
        this.proxy = proxy;
        this.source = source;
        this.file = file;
        this.lastSeen = digest();
    }

    /** Reads the file again and applies it, or refuses it with every problem. */
    public synchronized ReloadOutcome reload(String why) {
        ProxyConfig next;
        try {
            next = source.read();
        } catch (ConfigException e) {
            List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
            LOG.warn("{}: config not reloaded, the running one serves on: {} problem(s): {}", why, problems.size(),
                    String.join("; ", problems));
            return ReloadOutcome.refused(problems);
        }
        try {
            ReloadSummary summary = proxy.reload(next);
            LOG.info("{}: reloaded {}", why, file);
            return ReloadOutcome.applied(summary);
        } catch (IllegalStateException stopping) {
            return ReloadOutcome.refused(List.of(stopping.getMessage()));
        }
    }

    /** A reload asked for on the admin API ({@code POST /reload}). */
    public ReloadOutcome reloadFromAdmin() {
        return reload("POST /reload");
    }

    /** Reloads on SIGHUP. */
    @SuppressWarnings("restriction")
    public ConfigReloader onHangUp() {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> reload("SIGHUP"));
        return this;
    }

    /** Reloads when the file's content changes, looked at every {@code intervalMillis}. */
    public ConfigReloader watch(long intervalMillis) {
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "config-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    private void reloadIfChanged() {
        byte[] now = digest();
        if (now != null && !Arrays.equals(now, lastSeen)) {
            lastSeen = now;
            reload(file + " changed");
        }
    }

    /** The file's content digest, or null while it cannot be read (an editor replacing it). */
    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
