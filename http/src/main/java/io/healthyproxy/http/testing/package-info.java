/**
 * Real HTTP backends on 127.0.0.1 for the proxy's integration tests, which a test can tell to misbehave.
 *
 * <p>{@link io.healthyproxy.http.testing.ControllableBackend} is the entry point: start one per backend, point the proxy at
 * its {@code address()}, switch its {@code traffic()} and {@code health()} behaviours, crash and restart it, count
 * what reached it and wait for counts instead of sleeping. Everything else here is its implementation, or helpers
 * for its own tests ({@code RawConnection}, {@code DirectClient}) that proxy tests may use as well.
 */
package io.healthyproxy.http.testing;
