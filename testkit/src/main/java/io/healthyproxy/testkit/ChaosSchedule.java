package io.healthyproxy.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The faults of a chaos soak (bench's {@code ChaosSoak}), drawn from a seed, so that a failing run can be
 * replayed exactly: every 0.5 to 2.5 s a backend that is fine gets a fault lasting 1 to 6 s, unless two are
 * faulty already. Every fault is healed two seconds before the end at the latest, so the run ends calm.
 *
 * <p>A backend counts as faulty until {@link #RECOVERY} after its fault is healed: a proxy can only route to
 * a backend that came back once it has seen so (two passing health checks, then a trial), and a schedule that
 * broke the other two in that moment would leave no backend the proxy could know to be healthy. So at every
 * moment at least one backend has been fine for {@link #RECOVERY} or longer.
 */
public final class ChaosSchedule {

    /** How many backends a schedule is for. */
    public static final int BACKENDS = 3;
    static final int MAX_FAULTY = 2;
    /** How long a healed backend still counts as faulty: ample for two checks at the soak's 100 ms interval. */
    static final Duration RECOVERY = Duration.ofSeconds(1);

    /** What can happen to a backend, and how it is healed. */
    public enum Fault {
        /** The process dies: connections reset, new ones refused. Healed by a restart on the same port. */
        CRASH,
        /** The process hangs: requests and health checks are read and never answered. */
        FREEZE,
        /** Requests get 500 while health checks still pass: only passive health can see it. */
        SERVER_ERRORS,
        /** Health checks fail while requests are still served: only active health sees it. */
        FAILING_CHECKS,
        /** Each response stops halfway and the connection is reset. */
        RESET_MID_RESPONSE,
        /** Each connection is closed as soon as a request arrives. */
        CLOSE_BEFORE_RESPONSE,
        /** Each response is garbage instead of HTTP. */
        GARBAGE,
        /** Everything is answered late: 100 to 600 ms. */
        SLOW;

        void inflict(ControllableBackend backend, Duration slowBy) {
            switch (this) {
                case CRASH -> backend.crash();
                case FREEZE -> backend.freeze();
                case SERVER_ERRORS -> backend.traffic().status(500);
                case FAILING_CHECKS -> backend.health().status(503);
                case RESET_MID_RESPONSE -> backend.traffic().resetMidResponse();
                case CLOSE_BEFORE_RESPONSE -> backend.traffic().closeBeforeResponse();
                case GARBAGE -> backend.traffic().malformedResponse();
                case SLOW -> backend.slow(slowBy);
            }
        }

        void heal(ControllableBackend backend) {
            switch (this) {
                case CRASH -> backend.restart();
                case FREEZE -> {
                    backend.unfreeze();
                    backend.ok();
                }
                default -> backend.ok();
            }
        }
    }

    /** One fault starting, or ending ({@code heal}), at {@code at} after the chaos began. */
    public record Event(Duration at, int backend, Fault fault, boolean heal, Duration slowBy) {

        public boolean isFault() {
            return !heal;
        }

        /** Inflicts the fault on {@code target}, or heals it. */
        public void apply(ControllableBackend target) {
            if (heal) {
                fault.heal(target);
            } else {
                fault.inflict(target, slowBy);
            }
        }

        @Override
        public String toString() {
            String name = "b" + (backend + 1);
            String what = fault.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + (fault == Fault.SLOW ? " (" + slowBy.toMillis() + " ms)" : "");
            return heal ? name + " healed from " + what : name + ": " + what;
        }
    }

    private ChaosSchedule() {
    }

    /** The schedule for a chaos of {@code length} (at least 5 s), the same for the same seed. */
    public static List<Event> generate(long seed, Duration length) {
        if (length.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException("length: " + length + " (expected at least 5 s)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        Fault[] faults = Fault.values();
        long end = length.toMillis() - 2000;
        long[] busyUntil = new long[BACKENDS];
        List<Event> events = new ArrayList<>();
        for (long t = 1000 + random.nextLong(0, 1500); t < end - 1000; t += 500 + random.nextLong(0, 2000)) {
            long now = t;
            int faulty = 0;
            List<Integer> fine = new ArrayList<>();
            for (int b = 0; b < BACKENDS; b++) {
                if (busyUntil[b] > now) {
                    faulty++;
                } else {
                    fine.add(b);
                }
            }
            if (faulty >= MAX_FAULTY || fine.isEmpty()) {
                continue;
            }
            int backend = fine.get(random.nextInt(fine.size()));
            Fault fault = faults[random.nextInt(faults.length)];
            Duration slowBy = Duration.ofMillis(100 + random.nextLong(0, 501));
            long until = Math.min(end, now + 1000 + random.nextLong(0, 5001));
            busyUntil[backend] = until + RECOVERY.toMillis();
            events.add(new Event(Duration.ofMillis(now), backend, fault, false, slowBy));
            events.add(new Event(Duration.ofMillis(until), backend, fault, true, slowBy));
        }
        events.sort(Comparator.comparing(Event::at).thenComparing(Event::heal, Comparator.reverseOrder()));
        return List.copyOf(events);
    }
}
