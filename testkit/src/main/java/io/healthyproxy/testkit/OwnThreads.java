package io.healthyproxy.testkit;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * Makes a backend's threads, its event loop's and its acceptors' (daemons named {@code test-backend-<name>-...}),
 * and remembers them, so that closing the backend can wait until they have really exited rather than merely been
 * told to.
 */
final class OwnThreads implements ThreadFactory {

    private final ThreadFactory delegate;
    private final List<Thread> made = new CopyOnWriteArrayList<>();

    OwnThreads(String backendName) {
        this.delegate = new DefaultThreadFactory("test-backend-" + backendName, true);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = delegate.newThread(task);
        made.add(thread);
        return thread;
    }

    /** Waits for every thread made so far to exit; returns whether they all did within {@code timeout}. */
    boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : made) {
            long leftMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                thread.join(leftMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
