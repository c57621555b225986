package relaylab.realtime.redis;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until a deadline, for states that have no event to wait on (a Redis subscription). */
final class Await {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        if (!within(DEADLINE, condition)) {
            throw new AssertionError(what + ": not true within " + DEADLINE.toSeconds() + " s");
        }
    }

    /** True as soon as the condition holds, false when it still does not after {@code wait}. */
    static boolean within(Duration wait, BooleanSupplier condition) {
        long end = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(20);   // polling a state, not waiting for a network event
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
        }
        return true;
    }
}
