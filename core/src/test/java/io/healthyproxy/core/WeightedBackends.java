package io.healthyproxy.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.spi.LoadBalancer;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** Backends with weights, balancers by name, and the shares a run of picks gives each backend, for tests. */
final class WeightedBackends {

    static final CircuitBreakerConfig BREAKER = CircuitBreakerConfig.builder().failureThreshold(1)
            .openDuration(Duration.ofSeconds(10)).openJitter(0).build();

    private WeightedBackends() {
    }

    /** Backends named a, b, c, ... with these weights. */
    static List<Backend> withWeights(Ticker ticker, int... weights) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            backends.add(Backend.builder(String.valueOf((char) ('a' + i))).weight(weights[i]).breaker(BREAKER)
                    .healthCheck(HealthCheckConfig.defaults()).ticker(ticker).random(new SplittableRandom(i)).build());
        }
        return backends;
    }

    /** A balancer by name, seeded. */
    static LoadBalancer balancer(String name, long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        return switch (name) {
            case "roundRobin" -> Balancing.ROUND_ROBIN.create(random);
            case "powerOfTwoChoices" -> Balancing.POWER_OF_TWO_CHOICES.create(random);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static void open(Backend b) {
        b.breaker().onFailure(b.breaker().tryAcquire());
        assertThat(b.breaker().state()).isEqualTo(CircuitState.OPEN);
    }

    /** Backend id to picks, over {@code calls} acquisitions each finished at once. */
    static Map<String, Integer> picks(BackendPool pool, int calls) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < calls; i++) {
            Lease lease = pool.acquire();
            counts.merge(lease.backend().id(), 1, Integer::sum);
            lease.onSuccess();
        }
        return counts;
    }

    /** The ids of {@code calls} picks in order. */
    static String sequence(BackendPool pool, int calls) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < calls; i++) {
            Lease lease = pool.acquire();
            s.append(lease.backend().id());
            lease.onSuccess();
        }
        return s.toString();
    }

    /** Each backend's expected share of {@code calls}: its weight (times {@code factor}) over the total. */
    static Map<String, Double> expected(List<Backend> backends, int calls, Function<Backend, Double> weight) {
        double total = backends.stream().mapToDouble(weight::apply).sum();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Backend b : backends) {
            shares.put(b.id(), calls * weight.apply(b) / total);
        }
        return shares;
    }

    /** Asserts that every backend got its expected picks within ±{@code tolerance} (0.05 = 5%) of them. */
    static void assertShares(Map<String, Integer> picks, Map<String, Double> expected, double tolerance) {
        assertThat(picks.keySet()).as("backends picked").isSubsetOf(expected.keySet());
        expected.forEach((id, share) -> assertThat((double) picks.getOrDefault(id, 0))
                .as("picks of %s (expected %.0f; all: %s)", id, share, picks)
                .isBetween(share * (1 - tolerance), share * (1 + tolerance)));
    }

    static int[] weights(String csv) {
        return Arrays.stream(csv.split(" ")).mapToInt(Integer::parseInt).toArray();
    }
}
