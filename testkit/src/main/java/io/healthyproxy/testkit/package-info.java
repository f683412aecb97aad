/**
 * Tools for tests over real sockets on 127.0.0.1: backends a test can tell to misbehave, a seeded schedule of
 * faults, and a plain socket client. Never a dependency of the proxy itself: {@code http} uses this module in
 * its tests only, the demo and the benchmarks at run time.
 *
 * <p>{@link io.healthyproxy.testkit.ControllableBackend} is the entry point: start one per backend, point the proxy
 * at its {@code address()}, switch its {@code traffic()} and {@code health()} behaviours, crash and restart it,
 * count what reached it and wait for counts instead of sleeping. {@link io.healthyproxy.testkit.ChaosSchedule}
 * draws a replayable series of faults for three of them; {@link io.healthyproxy.testkit.RawConnection} sends and
 * reads bytes that no HTTP client would. The open-loop load generator is in {@code io.healthyproxy.testkit.load}.
 */
package io.healthyproxy.testkit;
