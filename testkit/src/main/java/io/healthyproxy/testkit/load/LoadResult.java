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
 */
public record LoadResult(long dueAtNanos, long latencyNanos, int status, String error, String servedBy,
        String detail) {

    /** The longest {@link #detail} kept. */
    public static final int DETAIL_CHARS = 400;

    /** A request that got no answer. */
    public static LoadResult unanswered(long dueAtNanos, long latencyNanos, String error) {
        return new LoadResult(dueAtNanos, latencyNanos, 0, error, null, null);
    }

    public boolean ok() {
        return status >= 200 && status < 400;
    }
}
