package io.healthyproxy.core;

import java.util.function.Predicate;

/**
 * Counting and indexing the eligible backends of an array without building a filtered copy: the two steps
 * every {@link LoadBalancer} here takes, allocation-free.
 */
final class EligibleBackends {

    private EligibleBackends() {
    }

    static int count(Backend[] backends, Predicate<? super Backend> eligible) {
        int count = 0;
        for (Backend b : backends) {
            if (eligible.test(b)) {
                count++;
            }
        }
        return count;
    }

    /**
     * The {@code n}-th eligible backend (from 0); if eligibility changed since counting and there is no
     * {@code n}-th any more, the first eligible one; null if none is eligible now.
     */
    static Backend nth(Backend[] backends, Predicate<? super Backend> eligible, long n) {
        Backend first = null;
        for (Backend b : backends) {
            if (eligible.test(b)) {
                if (n-- == 0) {
                    return b;
                }
                if (first == null) {
                    first = b;
                }
            }
        }
        return first;
    }
}
