package io.healthyproxy.testkit.load;

/**
 * One request of an {@link OpenLoopLoad}.
 *
 * @param dueAtNanos    when the schedule said to send it ({@link System#nanoTime()} clock)
 * @param latencyNanos  from {@code dueAtNanos} to the complete answer (or to the failure): measured from the
 *                      intended start, so a stall delays the clock of every request it held up
 * @param status        the HTTP status, or 0 when there was no answer
 * @param error         why there was no answer (timeout, refused, reset), or null
 * @param servedBy      the {@code X-Backend} header of the answer, if any
 * @param detail        the start of an error answer's body (a proxy's says why it failed), or null
 * @param path          the request's path (and query), as sent
 */
public record LoadResult(long dueAtNanos, long latencyNanos, int status, String error, String servedBy,
        String detail, String path) {

    /** The longest {@link #detail} kept. */
    public static final int DETAIL_CHARS = 400;

    /** A result whose path is not known (before results carried one). */
    public LoadResult(long dueAtNanos, long latencyNanos, int status, String error, String servedBy, String detail) {
        this(dueAtNanos, latencyNanos, status, error, servedBy, detail, null);
    }

    /** A request that got no answer. */
    public static LoadResult unanswered(long dueAtNanos, long latencyNanos, String error) {
        return unanswered(dueAtNanos, latencyNanos, error, null);
    }

    /** A request to {@code path} that got no answer. */
    public static LoadResult unanswered(long dueAtNanos, long latencyNanos, String error, String path) {
        return new LoadResult(dueAtNanos, latencyNanos, 0, error, null, null, path);
    }

    public boolean ok() {
        return status >= 200 && status < 400;
    }
}
