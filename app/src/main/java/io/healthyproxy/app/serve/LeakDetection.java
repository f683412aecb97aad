package io.healthyproxy.app.serve;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's buffer-leak detection in {@code serve}: off, unless a level is asked for with
 * {@code -Dio.netty.leakDetection.level} (then Netty's own handling of that property applies). Netty's
 * default samples one buffer in 128 and records a stack trace for it: about 2.5% of the proxy's CPU samples
 * under load (docs/PERFORMANCE.md). It finds nothing at run time that the tests do not look for first:
 * {@code BufferLeakTest} runs every kind of request path with every buffer tracked and fails on any leak.
 * The buffers' own checks (reference counts, bounds) stay on.
 */
public final class LeakDetection {

    /** Netty's property, and its older spelling, which Netty still reads. */
    static final String PROPERTY = "io.netty.leakDetection.level";
    static final String OLD_PROPERTY = "io.netty.leakDetectionLevel";

    private LeakDetection() {
    }

    /** Turns leak detection off unless a level was set on the command line. */
    public static void offUnlessAsked() {
        if (System.getProperty(PROPERTY) == null && System.getProperty(OLD_PROPERTY) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
