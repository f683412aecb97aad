package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.healthyproxy.core.Backend;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.GrpcPolicy;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.UpstreamProtocol;
import io.healthyproxy.http.grpc.GrpcBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC end to end, with grpc-java's own client and server: an h2c client calls through the proxy to an h2c
 * cluster of three grpc-java servers, unary and streaming calls alike; grpc-status decides what counts against
 * a backend; the standard health service takes a backend out and its circuit's trial brings it back.
 */
class GrpcThroughProxyTest {

    private final List<GrpcBackend> backends = new ArrayList<>();
    private HttpProxy proxy;
    private ManagedChannel channel;

    private void start(UnaryOperator<ClusterConfig.Builder> tweak) throws InterruptedException {
        // Per try and between messages 2 s: short enough to see a stream outlive them, long on a busy machine.
        ProxyConfig.Builder config = ProxyHarness.fast()
                .timeouts(ProxyHarness.timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        HttpHealthCheck checks = HttpHealthCheck.defaults().withSchedule(HealthCheckConfig.builder()
                .interval(Duration.ofMillis(100)).unhealthyInterval(Duration.ofMillis(50))
                .timeout(Duration.ofMillis(300)).build());
        ClusterConfig.Builder cluster = config.clusterBuilder("grpc").protocol(UpstreamProtocol.H2C)
                .healthCheck(checks.withGrpc(""));
        for (int i = 1; i <= 3; i++) {
            GrpcBackend backend = GrpcBackend.start("b" + i);
            backends.add(backend);
            cluster.backend(new BackendConfig("b" + i, Endpoint.parse(backend.address())));
        }
        proxy = HttpProxy.start(config.cluster(tweak.apply(cluster).build()).build());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.address().getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (proxy != null) {
            proxy.stop(Duration.ZERO);
        }
        for (GrpcBackend b : backends) {
            b.close();
        }
    }

    private SimpleServiceGrpc.SimpleServiceBlockingStub stub() {
        return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static SimpleRequest request(String text) {
        return SimpleRequest.newBuilder().setRequestMessage(text).build();
    }

    private Backend core(int number) {
        return proxy.clusters().get("grpc").find("b" + number).orElseThrow();
    }

    private void awaitCircuit(int number, CircuitState state) throws InterruptedException {
        ProxyHarness.await("b" + number + "'s circuit is " + state, () -> core(number).breaker().state() == state);
    }

    @Test
    void unaryCallsAreAnsweredByEveryBackendInTurn() throws Exception {
        start(c -> c);
        Set<String> answeredBy = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            String answer = stub().unaryRpc(request("hello")).getResponseMessage();
            assertThat(answer).endsWith(":hello");
            answeredBy.add(answer.substring(0, answer.indexOf(':')));
        }
        assertThat(answeredBy).containsExactlyInAnyOrder("b1", "b2", "b3");
    }

    @Test
    void aServerStreamingCallGetsEveryMessageThenItsStatus() throws Exception {
        start(c -> c);
        Iterator<SimpleResponse> answers = stub().serverStreamingRpc(request("count:200"));
        int received = 0;
        while (answers.hasNext()) {
            assertThat(answers.next().getResponseMessage()).endsWith(":" + ++received);
        }
        assertThat(received).isEqualTo(200);
    }

    @Test
    void aSlowServerStreamIsNeitherHeldNorTimedOutWhileMessagesKeepComing() throws Exception {
        start(c -> c);
        // 150 messages 20 ms apart: 3 s in all, longer than the per-try and idle limits (2 s) it stays within.
        Iterator<SimpleResponse> answers = stub().serverStreamingRpc(request("slow:150"));
        int received = 0;
        while (answers.hasNext()) {
            answers.next();
            received++;
        }
        assertThat(received).isEqualTo(150);
    }

    @Test
    void aClientStreamingCallReachesOneBackendWhole() throws Exception {
        start(c -> c);
        CompletableFuture<String> answer = new CompletableFuture<>();
        StreamObserver<SimpleRequest> upload = SimpleServiceGrpc.newStub(channel).clientStreamingRpc(observer(answer));
        for (int i = 0; i < 25; i++) {
            upload.onNext(request("part " + i));
        }
        upload.onCompleted();
        assertThat(answer.get(10, TimeUnit.SECONDS)).endsWith(":25 messages");
    }

    @Test
    void aBidirectionalCallAnswersEachMessageBeforeTheClientSendsTheNext() throws Exception {
        start(c -> c);
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        CompletableFuture<String> ended = new CompletableFuture<>();
        StreamObserver<SimpleRequest> call = SimpleServiceGrpc.newStub(channel).bidiStreamingRpc(new StreamObserver<>() {
            @Override
            public void onNext(SimpleResponse value) {
                replies.add(value.getResponseMessage());
            }

            @Override
            public void onError(Throwable t) {
                ended.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                ended.complete("ok");
            }
        });
        String backend = null;
        for (int i = 0; i < 5; i++) {
            call.onNext(request("ping " + i));          // the next goes only once this one is answered
            String reply = replies.poll(10, TimeUnit.SECONDS);
            assertThat(reply).as("reply to ping " + i).isNotNull().endsWith(":ping " + i);
            String from = reply.substring(0, reply.indexOf(':'));
            assertThat(backend == null || backend.equals(from)).as("one backend holds the call").isTrue();
            backend = from;
        }
        call.onCompleted();
        assertThat(ended.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    }

    @Test
    void applicationErrorsOpenNoCircuitWhileUnavailableDoes() throws Exception {
        start(c -> c);
        for (int i = 0; i < 12; i++) {
            assertThatThrownBy(() -> stub().unaryRpc(request("status:NOT_FOUND")))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
        for (int b = 1; b <= 3; b++) {
            assertThat(core(b).failed()).as("b" + b + "'s failures").isZero();
            assertThat(core(b).breaker().state()).isEqualTo(CircuitState.CLOSED);
        }

        backends.get(0).failWith(Status.UNAVAILABLE.withDescription("overloaded"));
        ProxyHarness.await("b1's circuit opens on UNAVAILABLE", () -> {
            try {
                stub().unaryRpc(request("hello"));
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            }
            return core(1).breaker().state() == CircuitState.OPEN;
        });
        assertThat(core(2).breaker().state()).isEqualTo(CircuitState.CLOSED);
        assertThat(core(3).breaker().state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aMethodMarkedRetryableIsTriedElsewhereAfterUnavailable() throws Exception {
        start(c -> c.grpc(new GrpcPolicy(Set.of(14), Set.of("/grpc.testing.SimpleService/UnaryRpc"))));
        backends.get(0).failWith(Status.UNAVAILABLE);
        for (int i = 0; i < 12; i++) {
            assertThat(stub().unaryRpc(request("hello")).getResponseMessage()).matches("b[23]:hello");
        }
        assertThat(backends.get(0).calls()).isPositive();
    }

    @Test
    void aMethodNotMarkedRetryableIsNotSentTwice() throws Exception {
        start(c -> c);
        backends.get(0).failWith(Status.UNAVAILABLE);
        int unavailable = 0;
        for (int i = 0; i < 6; i++) {
            try {
                stub().unaryRpc(request("hello"));
            } catch (StatusRuntimeException e) {
                unavailable++;
            }
        }
        int total = backends.stream().mapToInt(GrpcBackend::calls).sum();
        assertThat(total).as("one backend call per client call").isEqualTo(6);
        assertThat(unavailable).isEqualTo(backends.get(0).calls());
    }

    @Test
    void aBackendKilledMidStreamIsEjectedAndNewCallsSucceedOnTheOthers() throws Exception {
        start(c -> c);
        // Find a slow stream on b1: round robin starts somewhere; calls go on until one lands there.
        Iterator<SimpleResponse> stream;
        while (true) {
            stream = stub().serverStreamingRpc(request("slow:500"));
            if (stream.next().getResponseMessage().startsWith("b1:")) {
                break;
            }
            drainQuietly(stream);
        }
        backends.get(0).kill();
        Iterator<SimpleResponse> broken = stream;
        assertThatThrownBy(() -> drainQuietly(broken)).isInstanceOf(StatusRuntimeException.class);

        awaitCircuit(1, CircuitState.OPEN);
        for (int i = 0; i < 10; i++) {
            assertThat(stub().unaryRpc(request("after")).getResponseMessage()).matches("b[23]:after");
        }
    }

    @Test
    void grpcHealthChecksTakeANotServingBackendOutAndItsTrialBringsItBack() throws Exception {
        start(c -> c);
        backends.get(1).setServing(false);
        ProxyHarness.await("b2 is unhealthy", () -> !core(2).health().isHealthy());
        awaitCircuit(2, CircuitState.OPEN);
        for (int i = 0; i < 6; i++) {
            assertThat(stub().unaryRpc(request("x")).getResponseMessage()).matches("b[13]:x");
        }

        backends.get(1).setServing(true);
        ProxyHarness.await("b2 is healthy again", () -> core(2).health().isHealthy());
        ProxyHarness.await("a real call was b2's trial and closed its circuit", () -> {
            stub().unaryRpc(request("y"));
            return core(2).breaker().state() == CircuitState.CLOSED;
        });
    }

    private static void drainQuietly(Iterator<SimpleResponse> stream) {
        while (stream.hasNext()) {
            stream.next();
        }
    }

    private static StreamObserver<SimpleResponse> observer(CompletableFuture<String> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(SimpleResponse value) {
                answer.complete(value.getResponseMessage());
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
