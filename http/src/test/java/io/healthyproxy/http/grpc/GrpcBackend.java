package io.healthyproxy.http.grpc;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC server (grpc-java over its shaded Netty, cleartext h2c) serving {@code grpc.testing.SimpleService}
 * and the standard health service, for tests of gRPC through the proxy. Every answer names the backend.
 * Requests script it: {@code status:NOT_FOUND} answers that status; {@code count:N} streams N answers;
 * {@code slow:N} streams N answers 20 ms apart. A test can make every call fail with a status, set the health
 * it reports, and kill it.
 */
public final class GrpcBackend implements AutoCloseable {

    public final String name;
    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "grpc-backend-ticks");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger calls = new AtomicInteger();
    private volatile Status failWith;

    private GrpcBackend(String name) {
        this.name = name;
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new Simple())
                    .addService(health.getHealthService())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GrpcBackend start(String name) {
        return new GrpcBackend(name);
    }

    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Calls of SimpleService received. */
    public int calls() {
        return calls.get();
    }

    /** Every call from now on fails with {@code status} (null: back to normal). */
    public void failWith(Status status) {
        this.failWith = status;
    }

    /** What the health service says about the server as a whole. */
    public void setServing(boolean serving) {
        health.setStatus("", serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    /** Dies as a crashed process would: every connection and call cut off at once. */
    public void kill() {
        server.shutdownNow();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        ticks.shutdownNow();
    }

    private SimpleResponse answer(String text) {
        return SimpleResponse.newBuilder().setResponseMessage(name + ":" + text).build();
    }

    private final class Simple extends SimpleServiceGrpc.SimpleServiceImplBase {

        private boolean failed(StreamObserver<?> out) {
            calls.incrementAndGet();
            Status status = failWith;
            if (status != null) {
                out.onError(status.asRuntimeException());
                return true;
            }
            return false;
        }

        @Override
        public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
            if (failed(out)) {
                return;
            }
            String text = request.getRequestMessage();
            if (text.startsWith("status:")) {
                out.onError(Status.fromCode(Status.Code.valueOf(text.substring(7))).withDescription("as asked")
                        .asRuntimeException());
                return;
            }
            out.onNext(answer(text));
            out.onCompleted();
        }

        @Override
        public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
            if (failed(out)) {
                return;
            }
            String text = request.getRequestMessage();
            int count = Integer.parseInt(text.substring(text.indexOf(':') + 1));
            if (text.startsWith("slow:")) {
                AtomicInteger sent = new AtomicInteger();
                ticks.scheduleAtFixedRate(() -> {
                    int n = sent.incrementAndGet();
                    if (n > count) {
                        throw new IllegalStateException("done");      // ends the repetition
                    }
                    try {
                        out.onNext(answer(String.valueOf(n)));
                        if (n == count) {
                            out.onCompleted();
                        }
                    } catch (RuntimeException cancelled) {
                        throw new IllegalStateException("call over", cancelled);
                    }
                }, 0, 20, TimeUnit.MILLISECONDS);
                return;
            }
            for (int i = 1; i <= count; i++) {
                out.onNext(answer(String.valueOf(i)));
            }
            out.onCompleted();
        }

        @Override
        public StreamObserver<SimpleRequest> clientStreamingRpc(StreamObserver<SimpleResponse> out) {
            calls.incrementAndGet();
            return new StreamObserver<>() {
                private int received;

                @Override
                public void onNext(SimpleRequest value) {
                    received++;
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    out.onNext(answer(received + " messages"));
                    out.onCompleted();
                }
            };
        }

        @Override
        public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> out) {
            calls.incrementAndGet();
            return new StreamObserver<>() {
                @Override
                public void onNext(SimpleRequest value) {
                    out.onNext(answer(value.getRequestMessage()));
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    out.onCompleted();
                }
            };
        }
    }
}
