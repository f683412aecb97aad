package io.healthyproxy.client;

/**
 * Judges one try's outcome: its result, or the error its stage completed with (a
 * {@link java.util.concurrent.CompletionException}'s cause is passed, not the wrapper).
 *
 * <pre>{@code
 * Classifier<ResultSet> jdbc = (result, error) ->
 *         error == null ? Verdict.SUCCESS
 *         : error instanceof SQLTransientConnectionException ? Verdict.FAILURE
 *         : Verdict.NEUTRAL;                   // a bad query is the caller's fault, not the replica's
 * }</pre>
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface Classifier<R> {

    /**
     * @param result the result, or null when the try failed
     * @param error  the error, or null when it produced a result
     * @return the verdict
     */
    Verdict classify(R result, Throwable error);

    /**
     * Every result a success, every error the backend's failure: the default.
     *
     * @param <R> the result type
     * @return the classifier
     */
    static <R> Classifier<R> errorsAreFailures() {
        return (result, error) -> error == null ? Verdict.SUCCESS : Verdict.FAILURE;
    }
}
