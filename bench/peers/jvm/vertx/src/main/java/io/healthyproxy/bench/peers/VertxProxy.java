package io.healthyproxy.bench.peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.OriginRequestProvider;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Vert.x http-proxy in front of the benchmark's backends, round robin. {@code VertxProxy PORT BACKEND_PORT...};
 * port 0 binds one the kernel picks, printed as {@code listening on 127.0.0.1:PORT } for the scenario runner.
 *
 * <p>As Vert.x's docs recommend for a server: one verticle instance per core, each with its own event loop
 * and its own HTTP client (connection pool) to the backends. Vert.x http-proxy has no health checks, retries
 * or circuit breakers, so the runner leaves it out of the failure scenarios.
 */
public final class VertxProxy extends VerticleBase {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static volatile int port;
    /** The port each instance ended up on: one and the same, or the runner's port pattern will not match. */
    private static final java.util.Set<String> PORTS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static volatile List<SocketAddress> backends;

    public static void main(String[] args) {
        port = Integer.parseInt(args[0]);
        backends = Arrays.stream(args).skip(1).map(p -> SocketAddress.inetSocketAddress(Integer.parseInt(p), "127.0.0.1"))
                .toList();
        int instances = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        // The first instance binds (port 0: the kernel picks), the others then bind the same port beside it with
        // SO_REUSEPORT, each its own listening socket on its own event loop (Vert.x's sharing of a server between
        // instances does not extend to port 0).
        vertx.deployVerticle(new VertxProxy())
                .compose(first -> vertx.deployVerticle(VertxProxy::new, new DeploymentOptions().setInstances(instances - 1)))
                .onSuccess(all -> System.out.println("listening on 127.0.0.1:" + String.join(",", PORTS) + " (vert.x, "
                        + instances + " event loops)"))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public Future<?> start() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(1000),
                new PoolOptions().setHttp1MaxSize(64));
        HttpProxy proxy = HttpProxy.reverseProxy(client)
                .origin(OriginRequestProvider.selector(context -> Future.succeededFuture(
                        backends.get(Math.floorMod(NEXT.getAndIncrement(), backends.size())))));
        // Idle client connections are closed after 60 s, as HealthyProxy's and NGINX's are (about).
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setReusePort(true)
                        .setIdleTimeout(60))
                .requestHandler(proxy)
                .listen()
                .onSuccess(server -> {
                    port = server.actualPort();
                    PORTS.add(Integer.toString(port));
                });
    }
}
