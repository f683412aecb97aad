package io.healthyproxy.core.time;

/**
 * One timer shared by every deadline of one owner (a client connection and the request it serves): it fires
 * at or before the earliest deadline it was asked to wake by, and the owner then checks which of its
 * deadlines have passed and asks again for the ones that remain.
 *
 * <p>Why not one scheduled task per deadline: on a busy keep-alive connection each request would schedule
 * and cancel two or three tasks (idle wait, hedge point, per-try timeout), and a scheduler's queue
 * operations were a measurable share of the proxy's CPU. Here a deadline that stops mattering (the answer
 * came) is simply forgotten; the timer fires for it anyway, finds nothing due and goes quiet. A later
 * deadline than the one already pending costs one comparison; only an earlier one reschedules.
 *
 * <p>Never late, sometimes early: an owner must treat a wake-up as "check your deadlines", not as "a deadline
 * passed". Not thread-safe: confined to the owner's thread, which must be the scheduler's (an event loop).
 */
public final class DeadlineTimer {

    private final Scheduler scheduler;
    private final Ticker ticker;
    private final Runnable onWake;
    private final Runnable fire = this::fire;
    private Scheduler.Cancellable pending;
    private long wakesAt;
    private boolean stopped;

    /**
     * @param onWake runs on each wake-up; it reads the ticker and calls {@link #wakeBy} for what is still due
     */
    public DeadlineTimer(Scheduler scheduler, Ticker ticker, Runnable onWake) {
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.onWake = onWake;
    }

    /** Makes sure the owner is woken at or before {@code deadline} (a {@link Ticker} reading). */
    public void wakeBy(long deadline) {
        if (stopped || (pending != null && wakesAt - deadline <= 0)) {
            return;
        }
        if (pending != null) {
            pending.cancel();
        }
        wakesAt = deadline;
        pending = scheduler.schedule(deadline - ticker.read(), fire);
    }

    /** Whether a wake-up is pending. */
    public boolean isArmed() {
        return pending != null;
    }

    /** No more wake-ups, ever (the owner is closed). */
    public void stop() {
        stopped = true;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    private void fire() {
        pending = null;
        if (!stopped) {
            onWake.run();
        }
    }
}
