/**
 * An open-loop HTTP load generator ({@link io.healthyproxy.testkit.load.OpenLoopLoad}): requests at a fixed rate
 * whatever the answers, each latency measured from when it was due, so that a stall cannot hide behind the
 * requests it held up. The proxy's failure tests, the chaos soak, the demo and the scenario benchmarks use it.
 */
package io.healthyproxy.testkit.load;
