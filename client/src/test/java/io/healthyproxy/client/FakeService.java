package io.healthyproxy.client;

import io.healthyproxy.core.time.ManualTicker;
import io.healthyproxy.core.time.VirtualTimeScheduler;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Backends in virtual time for {@link BackendCaller} tests: each answers after a delay the test sets, fails,
 * refuses (nothing sent), or never answers, and counts its calls; the scheduler and ticker are the caller's.
 */
final class FakeService {

    enum Mode { ANSWER, FAIL, REFUSE, HANG }

    /** One backend: what it does, how long it takes, what it saw. */
    static final class Server {
        final String name;
        volatile Mode mode = Mode.ANSWER;
        volatile Duration latency = Duration.ofMillis(1);
        final List<CompletableFuture<String>> calls = new ArrayList<>();

        Server(String name) {
            this.name = name;
        }

        int calls() {
            return calls.size();
        }

        long cancelled() {
            return calls.stream().filter(CompletableFuture::isCancelled).count();
        }
    }

    final ManualTicker ticker = new ManualTicker();
    final VirtualTimeScheduler scheduler = new VirtualTimeScheduler(ticker);
    final Map<String, Server> servers = new LinkedHashMap<>();

    FakeService(String... names) {
        for (String name : names) {
            servers.put(name, new Server(name));
        }
    }

    Server server(String name) {
        return servers.get(name);
    }

    /** A caller over these servers, in this service's time, with the given changes to the defaults. */
    BackendCaller.Builder<Server> caller() {
        BackendCaller.Builder<Server> b = BackendCaller.<Server>builder().scheduler(scheduler).ticker(ticker)
                .random(new SplittableRandom(7)).notSent(e -> e instanceof ConnectException);
        servers.values().forEach(s -> b.backend(s.name, s));
        return b;
    }

    /** Sends one call to {@code server}: what the caller's function does in these tests. */
    CompletionStage<String> send(Server server) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        server.calls.add(answer);
        switch (server.mode) {
            case ANSWER -> scheduler.schedule(server.latency, () -> answer.complete(server.name));
            case FAIL -> scheduler.schedule(server.latency, () -> answer.completeExceptionally(
                    new IOException(server.name + " reset the connection")));
            case REFUSE -> answer.completeExceptionally(new ConnectException(server.name + " refused"));
            case HANG -> { }
        }
        return answer;
    }

    void runFor(Duration d) {
        scheduler.runFor(d);
    }
}
