package io.healthyproxy.core;

import io.healthyproxy.core.spi.LoadBalancer;
import java.util.Collection;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Power of two random choices (Mitzenmacher), weighted: two distinct candidates drawn in proportion to their
 * effective weights, the one with fewer calls in flight <em>per unit of weight</em> wins, so that a backend of
 * weight 2 is expected to carry twice the calls of one of weight 1. Ties go to the first draw, itself random,
 * so equal backends share evenly.
 *
 * <p>Implementation notes: draws use an {@link AliasTable} built once per membership (cached against the
 * array's identity, like {@link RoundRobin}'s schedule): {@code O(1)} and allocation-free. A draw that lands on
 * a backend that is out is repeated; after {@link Candidates#DRAWS} misses a weighted scan finds the first
 * candidate, and a second one that cannot be found is done without: the first wins alone. In pools of fewer
 * than {@value #SCANNED_BELOW} backends each pick is one pass over them instead
 * ({@link Candidates#pick}): with three backends, one out and one tried already, random draws would look for
 * a second candidate that is not there sixteen times over (a retry cost 500 ns that way, against 100 ns in
 * one pass; {@code BackendChoiceBenchmark}).
 */
final class PowerOfTwoChoices implements LoadBalancer {

    /** Pools smaller than this are scanned: a few backends cost less to look at than to draw from. */
    static final int SCANNED_BELOW = 8;

    private final RandomGenerator random;
    private volatile Table table = new Table(new Backend[0], AliasTable.of(new Backend[0]));

    PowerOfTwoChoices(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public void prepare(Backend[] backends) {
        tableFor(backends);
    }

    @Override
    public Backend choose(Backend[] backends, Predicate<? super Backend> eligible, Collection<Backend> excluded) {
        Backend first;
        Backend second;
        if (backends.length < SCANNED_BELOW) {
            first = Candidates.pick(backends, eligible, excluded, null, random);
            second = first == null ? null : Candidates.pick(backends, eligible, excluded, first, random);
        } else {
            AliasTable weights = tableFor(backends).weights;
            first = draw(backends, weights, eligible, excluded, null);
            if (first == null) {
                return Candidates.scan(backends, eligible, excluded, random);
            }
            second = draw(backends, weights, eligible, excluded, first);
        }
        if (second == null) {
            return first;
        }
        // second.inFlight / second.weight < first.inFlight / first.weight, without dividing.
        return second.inFlight() * first.effectiveWeight() < first.inFlight() * second.effectiveWeight()
                ? second : first;
    }

    private Backend draw(Backend[] backends, AliasTable weights, Predicate<? super Backend> eligible,
            Collection<Backend> excluded, Backend not) {
        for (int draw = 0; draw < Candidates.DRAWS; draw++) {
            Backend b = backends[weights.draw(random.nextLong())];
            if (b != not && Candidates.takesTurn(b, eligible, excluded, random)) {
                return b;
            }
        }
        return null;
    }

    private Table tableFor(Backend[] backends) {
        Table current = table;
        if (current.backends != backends) {
            current = new Table(backends, AliasTable.of(backends));
            table = current;
        }
        return current;
    }

    /** The alias table for one membership; {@code backends} is compared by identity. */
    private record Table(Backend[] backends, AliasTable weights) {
    }
}
