package io.healthyproxy.app.serve;

import java.util.concurrent.CountDownLatch;

/**
 * Turns SIGTERM and SIGINT into a request to stop, so that the proxy can drain and the process can exit 0.
 * (A JVM shutdown hook would run the drain too, but the JVM then exits 143 whatever the hook does.)
 */
public final class Termination {

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String signal;
    /** A thread to interrupt on the first request (the warm-up's), or null. */
    private volatile Thread toInterrupt;

    /** Installs the handlers; a second signal while draining is ignored (the drain has its own deadline). */
    @SuppressWarnings("restriction")
    public static Termination onSignals() {
        Termination termination = new Termination();
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> termination.request("SIG" + name));
        }
        return termination;
    }

    synchronized void request(String why) {
        if (isRequested()) {
            return;
        }
        signal = why;
        requested.countDown();
        Thread t = toInterrupt;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * Interrupts {@code thread} when a stop is requested (once), until {@link #stopInterrupting}: what serve's
     * warm-up needs to be cut short. If a stop was requested already, interrupts it at once.
     */
    public synchronized void interruptOnRequest(Thread thread) {
        toInterrupt = thread;
        if (isRequested()) {
            thread.interrupt();
        }
    }

    /** No thread is interrupted any more; clears the calling thread's interrupt status. */
    public synchronized void stopInterrupting() {
        toInterrupt = null;
        Thread.interrupted();
    }

    /** Whether a stop has been requested already. */
    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Blocks until a stop is requested; returns the signal's name. */
    public String await() throws InterruptedException {
        requested.await();
        return signal;
    }
}
