package io.healthyproxy.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.client.FakeService.Mode;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.SlownessConfig;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.ProbeResult;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

/** The generic caller in virtual time: choosing, breaking, retrying, hedging, timing out, budget. */
class BackendCallerTest {

    private final FakeService service = new FakeService("a", "b", "c");

    @Test
    void aFailedTryIsRetriedOnABackendNotTriedYetAndItsAnswerIsTheCalls() throws Exception {
        service.server("a").mode = Mode.FAIL;
        service.server("b").mode = Mode.FAIL;
        BackendCaller<FakeService.Server> caller = service.caller().hedging(false).build();

        CompletableFuture<String> answer = caller.call(service::send);
        service.runFor(Duration.ofSeconds(1));

        assertThat(answer.get()).isEqualTo("c");
        assertThat(service.servers.values()).allSatisfy(s -> assertThat(s.calls()).isEqualTo(1));
        assertThat(caller.group().find("a").orElseThrow().failed()).isEqualTo(1);
        assertThat(caller.group().find("c").orElseThrow().succeeded()).isEqualTo(1);
    }

    @Test
    void aCallThatIsNotRepeatableIsTriedOnceUnlessNothingWasSent() throws Exception {
        service.server("a").mode = Mode.FAIL;
        service.server("b").mode = Mode.REFUSE;
        BackendCaller<FakeService.Server> caller = service.caller().hedging(false).build();

        CompletableFuture<String> failed = caller.call(service::send, Classifier.errorsAreFailures(), false);
        service.runFor(Duration.ofSeconds(1));
        CompletableFuture<String> refusedThenServed = caller.call(service::send, Classifier.errorsAreFailures(), false);
        service.runFor(Duration.ofSeconds(1));

        assertThat(cause(failed::get)).isInstanceOf(IOException.class).hasMessageContaining("a reset");
        assertThat(refusedThenServed.get()).as("b refused: nothing was sent, so c may take it").isEqualTo("c");
        assertThat(caller.budget().retriesInFlight()).isZero();
    }

    @Test
    void aSlowTryIsHedgedOnAnotherBackendTheFirstAnswerWinsAndTheLoserIsCalledOff() throws Exception {
        service.server("a").mode = Mode.HANG;
        BackendCaller<FakeService.Server> caller = service.caller().hedgeDelay(Duration.ofMillis(50)).build();

        CompletableFuture<String> answer = caller.call(service::send);
        service.runFor(Duration.ofMillis(49));
        assertThat(answer).isNotDone();
        service.runFor(Duration.ofMillis(10));

        assertThat(answer.get()).isEqualTo("b");
        assertThat(service.server("a").cancelled()).isEqualTo(1);
        assertThat(caller.group().find("a").orElseThrow().breaker().snapshot().consecutiveFailures())
                .as("a lost hedge counts on no breaker: slow is not broken").isZero();
        assertThat(caller.group().find("a").orElseThrow().inFlight()).isZero();
        assertThat(caller.budget().retriesInFlight()).isZero();
    }

    @Test
    void aTryThatTimesOutCountsOnNoBreakerAndIsRetriedElsewhere() throws Exception {
        service.server("a").mode = Mode.HANG;
        BackendCaller<FakeService.Server> caller = service.caller().hedging(false)
                .perTryTimeout(Duration.ofSeconds(2)).build();

        CompletableFuture<String> answer = caller.call(service::send);
        service.runFor(Duration.ofSeconds(3));

        assertThat(answer.get()).isEqualTo("b");
        assertThat(caller.group().find("a").orElseThrow().failed()).isZero();
        assertThat(caller.group().find("a").orElseThrow().latencies().count()).as("its wait counts as slowness")
                .isEqualTo(1);
    }

    @Test
    void whenEveryTryTimesOutTheCallFailsWithATimeout() {
        service.servers.values().forEach(s -> s.mode = Mode.HANG);
        BackendCaller<FakeService.Server> caller = service.caller().hedging(false).maxAttempts(2)
                .perTryTimeout(Duration.ofSeconds(1)).build();

        CompletableFuture<String> answer = caller.call(service::send);
        service.runFor(Duration.ofSeconds(3));

        assertThat(cause(answer::get)).isInstanceOf(TimeoutException.class).hasMessageContaining("within 1s");
        assertThat(service.server("c").calls()).as("two tries at most").isZero();
    }

    @Test
    void consecutiveFailuresOpenTheCircuitAndTheBackendGetsNoMoreCalls() {
        service.server("a").mode = Mode.FAIL;
        BackendCaller<FakeService.Server> caller = service.caller().hedging(false).slowness(SlownessConfig.OFF)
                .build();

        for (int i = 0; i < 30; i++) {
            caller.call(service::send);
            service.runFor(Duration.ofMillis(10));
        }

        assertThat(caller.group().find("a").orElseThrow().breaker().state()).isEqualTo(CircuitState.OPEN);
        assertThat(service.server("a").calls()).as("5 failures open it; then nothing until the trial").isEqualTo(5);
    }

    @Test
    void withNoBackendAdmittingTrafficAndFailFastTheCallFailsAtOnce() {
        BackendCaller<FakeService.Server> caller = service.caller().whenNoneAdmits(NoBackendPolicy.FAIL_FAST)
                .healthCheck(HealthCheckConfig.builder().startHealthy(false).build(),
                        (server, timeout) -> CompletableFuture.completedFuture(ProbeResult.failed("down")))
                .build();

        CompletableFuture<String> answer = caller.call(service::send);

        assertThat(cause(answer::get)).isInstanceOf(NoBackendException.class).hasMessageContaining("a unhealthy");
        assertThat(service.servers.values()).allSatisfy(s -> assertThat(s.calls()).isZero());
    }

    @Test
    void activeChecksTakeADeadBackendOutBeforeAnyCallReachesIt() throws Exception {
        BackendCaller<FakeService.Server> caller = service.caller().hedging(false)
                .healthCheck(HealthCheckConfig.defaults(), (server, timeout) -> CompletableFuture.completedFuture(
                        server.name.equals("a") ? ProbeResult.failed("refused") : ProbeResult.passed("200")))
                .build();

        service.runFor(Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            CompletableFuture<String> answer = caller.call(service::send);
            service.runFor(Duration.ofMillis(10));
            assertThat(answer.get()).isNotEqualTo("a");
        }

        assertThat(service.server("a").calls()).isZero();
    }

    @Test
    void retriesStopWhenTheRetryBudgetIsSpent() {
        service.servers.values().forEach(s -> s.mode = Mode.FAIL);
        service.server("a").latency = Duration.ofSeconds(1);
        service.server("b").latency = Duration.ofSeconds(1);
        service.server("c").latency = Duration.ofSeconds(1);
        BackendCaller<FakeService.Server> caller = service.caller().hedging(false).retryBudget(0.0, 1)
                .breaker(io.healthyproxy.core.BackendGroup.DEFAULT_BREAKER.toBuilder().failureThreshold(100).build())
                .build();

        CompletableFuture<String> first = caller.call(service::send);
        CompletableFuture<String> second = caller.call(service::send);
        service.runFor(Duration.ofMillis(1500));
        assertThat(caller.budget().retriesInFlight()).as("one retry in flight: the budget's minimum").isEqualTo(1);
        service.runFor(Duration.ofSeconds(5));

        assertThat(first.isCompletedExceptionally() && second.isCompletedExceptionally()).isTrue();
        assertThat(caller.budget().exhaustedCount()).isPositive();
        assertThat(caller.budget().retriesInFlight()).isZero();
    }

    private static Throwable cause(ThrowableAssert.ThrowingCallable get) {
        try {
            get.call();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("no failure");
    }
}
