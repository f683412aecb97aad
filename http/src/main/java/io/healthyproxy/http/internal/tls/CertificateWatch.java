package io.healthyproxy.http.internal.tls;

import io.healthyproxy.core.time.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Looks at a listener's certificate and key files every interval and has the {@link TlsTerminator} reload
 * them when their contents change: a renewed certificate (certbot, cert-manager) is in use for new handshakes
 * within one interval, with no restart and no connection dropped.
 *
 * <p>Why poll contents rather than watch the directory: renewals replace files by renaming, often through
 * symbolic links (certbot's {@code live/} points into {@code archive/}), which a directory watch on the
 * configured path misses and a modification time can hide (same second, same size). Reading a few kilobytes
 * every few seconds costs nothing. A half-written pair (the certificate renewed, the key not yet) fails to
 * load, is refused with a log line, and is tried again when the next file changes. Runs on the given
 * scheduler, so tests drive it in virtual time; one task at a time.
 */
public final class CertificateWatch {

    private final TlsTerminator terminator;
    private final Scheduler scheduler;
    private final Duration interval;
    private final List<Path> files;
    private byte[][] seen;
    private volatile boolean stopped;

    public CertificateWatch(TlsTerminator terminator, Scheduler scheduler, Duration interval) {
        this.terminator = terminator;
        this.scheduler = scheduler;
        this.interval = interval;
        this.files = terminator.files();
        this.seen = fingerprints();
    }

    /** Starts looking (nothing happens with a zero interval: reloading is off). */
    public void start() {
        if (!interval.isZero()) {
            scheduler.schedule(interval, this::look);
        }
    }

    public void stop() {
        stopped = true;
    }

    private void look() {
        if (stopped) {
            return;
        }
        byte[][] now = fingerprints();
        if (!Arrays.deepEquals(now, seen)) {
            seen = now;
            terminator.reload();
        }
        scheduler.schedule(interval, this::look);
    }

    /** A digest of each file's contents, null for a file that cannot be read right now. */
    private byte[][] fingerprints() {
        byte[][] digests = new byte[files.size()][];
        for (int i = 0; i < digests.length; i++) {
            try {
                digests[i] = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(files.get(i)));
            } catch (IOException e) {
                digests[i] = null;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
        return digests;
    }
}
