package io.healthyproxy.core.time;

/** The one place in the core that reads the system clock. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }
}
