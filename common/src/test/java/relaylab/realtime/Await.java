package relaylab.realtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until a deadline (for server-side state that offers no event to wait on). The deadline is
 * generous (15 s) because it only matters when something is wrong: on a loaded machine a cleanup that takes
 * milliseconds can take seconds, and a passing check returns as soon as the condition holds.
 */
final class Await {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for: " + what + " " + state.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }
}
