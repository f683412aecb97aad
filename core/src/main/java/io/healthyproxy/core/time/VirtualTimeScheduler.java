package io.healthyproxy.core.time;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A discrete-event scheduler in virtual time: tasks run on the caller's thread, in deadline order (ties in
 * the order they were scheduled), while a {@link ManualTicker} jumps from one deadline to the next. A minute
 * of simulated cluster runs in milliseconds and the same seed gives the same run, every time.
 *
 * <p>Used by unit tests and by the cluster simulator. Scheduling is thread-safe, but {@link #runFor} and
 * {@link #runUntilIdle} must be driven by one thread at a time.
 */
public final class VirtualTimeScheduler implements Scheduler {

    private final ManualTicker ticker;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long sequence;

    /** @param ticker the clock it moves as it runs tasks */
    public VirtualTimeScheduler(ManualTicker ticker) {
        this.ticker = ticker;
    }

    /** @return the clock it moves */
    public ManualTicker ticker() {
        return ticker;
    }

    @Override
    public synchronized Cancellable schedule(long delayNanos, Runnable task) {
        Task scheduled = new Task(ticker.read() + Math.max(0, delayNanos), sequence++, task);
        queue.add(scheduled);
        return scheduled;
    }

    /** Runs every task due within {@code duration} from now, then leaves the clock at the end of it. */
    public void runFor(Duration duration) {
        runUntil(ticker.read() + duration.toNanos());
    }

    /** Runs every task due at or before {@code deadline}, then sets the clock to {@code deadline}. */
    public void runUntil(long deadline) {
        for (Task next; (next = pollDue(deadline)) != null; ) {
            ticker.advanceTo(Math.max(ticker.read(), next.due));
            next.run();
        }
        if (deadline - ticker.read() > 0) {
            ticker.advanceTo(deadline);
        }
    }

    /** Runs tasks until none is left or {@code limit} tasks ran; returns how many ran. */
    public int runUntilIdle(int limit) {
        int ran = 0;
        for (Task next; ran < limit && (next = pollDue(Long.MAX_VALUE)) != null; ran++) {
            ticker.advanceTo(Math.max(ticker.read(), next.due));
            next.run();
        }
        return ran;
    }

    private synchronized Task pollDue(long deadline) {
        while (true) {
            Task head = queue.peek();
            if (head == null || (deadline != Long.MAX_VALUE && head.due - deadline > 0)) {
                return null;
            }
            queue.poll();
            if (!head.cancelled) {
                return head;
            }
        }
    }

    private static final class Task implements Comparable<Task>, Cancellable {
        final long due;
        final long sequence;
        final Runnable action;
        volatile boolean cancelled;

        Task(long due, long sequence, Runnable action) {
            this.due = due;
            this.sequence = sequence;
            this.action = action;
        }

        void run() {
            action.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(due - other.due, 0);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
