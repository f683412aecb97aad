package io.healthyproxy.core;

import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.spi.Prober;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A {@link Prober} whose answer the test sets; it records when each probe was sent. */
final class ScriptedProber implements Prober {

    enum Behaviour { PASS, FAIL, HANG, THROW }

    private final Ticker ticker;
    volatile Behaviour behaviour = Behaviour.PASS;
    final List<Long> sentAt = new ArrayList<>();
    final List<String> sentTo = new ArrayList<>();
    final List<CompletableFuture<ProbeResult>> hung = new ArrayList<>();

    ScriptedProber(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public CompletionStage<ProbeResult> probe(Backend backend, Duration timeout) {
        sentAt.add(ticker.read());
        sentTo.add(backend.id());
        return switch (behaviour) {
            case PASS -> CompletableFuture.completedFuture(ProbeResult.passed("ok"));
            case FAIL -> CompletableFuture.completedFuture(ProbeResult.failed("refused"));
            case HANG -> {
                CompletableFuture<ProbeResult> never = new CompletableFuture<>();
                hung.add(never);
                yield never;
            }
            case THROW -> throw new IllegalStateException("transport broken");
        };
    }

    /** Gaps between consecutive probes, in milliseconds. */
    List<Long> gapsMillis() {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < sentAt.size(); i++) {
            gaps.add((sentAt.get(i) - sentAt.get(i - 1)) / 1_000_000);
        }
        return gaps;
    }
}
