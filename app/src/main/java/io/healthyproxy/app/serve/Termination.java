package io.healthyproxy.app.serve;

import java.util.concurrent.CountDownLatch;

/**
 * Turns SIGTERM and SIGINT into a request to stop, so that the proxy can drain and the process can exit 0.
 * (A JVM shutdown hook would run the drain too, but the JVM then exits 143 whatever the hook does.)
 */
public final class Termination {

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String signal;

    /** Installs the handlers; a second signal while draining is ignored (the drain has its own deadline). */
    @SuppressWarnings("restriction")
    public static Termination onSignals() {
        Termination termination = new Termination();
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> termination.request("SIG" + name));
        }
        return termination;
    }

    void request(String why) {
        signal = why;
        requested.countDown();
    }

    /** Blocks until a stop is requested; returns the signal's name. */
    public String await() throws InterruptedException {
        requested.await();
        return signal;
    }
}
