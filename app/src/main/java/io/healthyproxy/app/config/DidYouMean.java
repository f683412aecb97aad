package io.healthyproxy.app.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The known name a mistyped one was probably meant to be: {@code failureTreshold} is {@code failureThreshold},
 * {@code failure_threshold} and {@code FailureThreshold} too. Case, {@code _} and {@code -} are ignored, then
 * the closest name within {@value #MAX_EDITS} edits wins; on a tie, the first known name.
 */
final class DidYouMean {

    /** Edits (insert, delete, replace a character) a typo may be away from the name it meant. */
    static final int MAX_EDITS = 2;

    private DidYouMean() {
    }

    static Optional<String> among(Collection<String> known, String typed) {
        String wanted = normalize(typed);
        String best = null;
        int bestDistance = MAX_EDITS + 1;
        for (String candidate : known) {
            int distance = editDistance(wanted, normalize(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String normalize(String name) {
        return name.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance, two rows at a time. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
