package io.healthyproxy.bench.jmh;

import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.HeaderMatch;
import io.healthyproxy.http.config.RouteConfig;
import io.healthyproxy.http.config.RouteMatch;
import io.healthyproxy.http.routing.RouteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finding a request's route among 1, 100 and 1,000: {@code RouteTable.match} against the obvious alternative,
 * trying each route's match in order ({@code RouteMatch.matches}, the definition the table is tested against).
 *
 * <p>The routes look like a shared edge proxy's: per service an exact host with a few version prefixes, one
 * with a method condition and one with a header condition, some wildcard hosts, some routes for any host, and
 * a catch-all at the end. Requests (1,024, taken in turn) hit routes all over the list, wildcards and the
 * catch-all included, with ports, upper case and queries in their hosts and paths as clients send them.
 *
 * Run: {@code bench/run-jmh --name routing RouteTableBenchmark -f 3 -wi 3 -w 1s -i 5 -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class RouteTableBenchmark {

    private static final int REQUESTS = 1024;

    @Param({"1", "100", "1000"})
    public int routes;

    private List<RouteConfig> config;
    private RouteTable<RouteConfig> table;
    private String[] hosts;
    private String[] paths;
    private String[] methods;
    private List<Function<String, String>> headers;
    private int next;

    @Setup
    public void setUp() {
        ClusterConfig cluster = ClusterConfig.builder("c").backend("127.0.0.1:9101").build();
        config = new ArrayList<>();
        int services = Math.max(1, (routes - 1) / 10);
        for (int s = 0; config.size() < routes - 1; s++) {
            String host = "svc" + (s % services) + ".example.com";
            int i = s / services;
            RouteMatch.Builder m = RouteMatch.builder();
            switch (s % 10) {
                case 0, 1, 2, 3 -> m.host(host).pathPrefix("/api/v" + i + "/" + s);
                case 4 -> m.host(host).path("/health/" + s);
                case 5 -> m.host(host).pathPrefix("/write/" + s).method("POST");
                case 6 -> m.host(host).pathPrefix("/canary/" + s).header(HeaderMatch.exact("x-canary", "1"));
                case 7 -> m.host("*.tenant" + s + ".example.com").pathPrefix("/app");
                case 8 -> m.pathPrefix("/static/" + s);
                default -> m.host(host).pathPrefix("/v" + s);
            }
            config.add(RouteConfig.builder(cluster).name("r" + config.size()).match(m.build()).build());
        }
        config.add(RouteConfig.builder(cluster).name("r" + config.size()).match(routes == 1
                ? RouteMatch.builder().host("svc0.example.com").pathPrefix("/api").build() : RouteMatch.ALL).build());
        table = RouteTable.of(config);

        SplittableRandom random = new SplittableRandom(1);
        hosts = new String[REQUESTS];
        paths = new String[REQUESTS];
        methods = new String[REQUESTS];
        headers = new ArrayList<>();
        for (int r = 0; r < REQUESTS; r++) {
            int s = random.nextInt(Math.max(1, routes - 1));
            String host = "svc" + (s % services) + ".example.com";
            switch (random.nextInt(6)) {
                case 0 -> { hosts[r] = host + ":8080"; paths[r] = "/api/v" + (s / services) + "/" + s + "/users/42?x=1"; }
                case 1 -> { hosts[r] = host.toUpperCase(); paths[r] = "/v" + s + "/orders"; }
                case 2 -> { hosts[r] = "a.tenant" + s + ".example.com"; paths[r] = "/app/index.html"; }
                case 3 -> { hosts[r] = host; paths[r] = "/static/" + s + "/logo.png"; }
                case 4 -> { hosts[r] = host; paths[r] = "/canary/" + s + "/x"; }
                default -> { hosts[r] = "elsewhere.example.org"; paths[r] = "/not/routed/anywhere"; }
            }
            methods[r] = random.nextInt(4) == 0 ? "POST" : "GET";
            headers.add(random.nextBoolean() ? Map.of("x-canary", "1")::get : Map.<String, String>of()::get);
        }
    }

    @Benchmark
    public RouteConfig routeTable() {
        int r = next++ & (REQUESTS - 1);
        return table.match(hosts[r], paths[r], methods[r], headers.get(r));
    }

    @Benchmark
    public RouteConfig linearScan() {
        int r = next++ & (REQUESTS - 1);
        for (RouteConfig route : config) {
            if (route.match().matches(hosts[r], paths[r], methods[r], headers.get(r))) {
                return route;
            }
        }
        return null;
    }
}
