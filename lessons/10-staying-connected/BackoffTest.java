import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Task 2: socket.io's reconnection delays, attempt by attempt, and what jitter does to a crowd. Seeded, so repeatable. */
@Tag("task:2")
class BackoffTest {
    private static final long SEED = 20261201L;

    @Test
    @DisplayName("every attempt stays within base * 2^n +/- 50 %, capped at 5 s; from the 5th attempt on it is exactly 5 s")
    void boundsOfEveryAttempt() {
        Random random = new Random(SEED);
        for (int attempt = 0; attempt < 10; attempt++) {
            double exact = 1000 * Math.pow(2, attempt);
            long low = (long) Math.min(exact * 0.5, 5000);
            long high = (long) Math.min(exact * 1.5, 5000);
            long seenMin = Long.MAX_VALUE;
            long seenMax = Long.MIN_VALUE;
            for (int i = 0; i < 2_000; i++) {
                long delay = Backoff.delayMillis(attempt, random.nextDouble());
                assertThat(delay).as("delay of attempt %d (0-based)", attempt).isBetween(low, high);
                seenMin = Math.min(seenMin, delay);
                seenMax = Math.max(seenMax, delay);
            }
            if (attempt <= 1) {
                assertThat(seenMin).as("shortest of 2,000 delays of attempt %d: the jitter goes down to half", attempt)
                        .isLessThan((long) (exact * 0.6));
                assertThat(seenMax).as("longest of 2,000 delays of attempt %d: the jitter goes up by half", attempt)
                        .isGreaterThan((long) (exact * 1.4));
            }
            if (attempt >= 4) {
                assertThat(seenMin).as("shortest delay of attempt %d: 16 s or more before the cap, so always the cap", attempt)
                        .isEqualTo(5000);
            }
        }
    }

    @Test
    @DisplayName("the formula, exactly: the jitter's sign comes from floor(random * 10), and the cap comes after the jitter")
    void exactValues() {
        assertThat(Backoff.delayMillis(0, 0.05)).as("attempt 0, random 0.05: 1000 - floor(0.05 * 0.5 * 1000)").isEqualTo(975);
        assertThat(Backoff.delayMillis(0, 0.15)).as("attempt 0, random 0.15: 1000 + floor(0.15 * 0.5 * 1000)").isEqualTo(1075);
        assertThat(Backoff.delayMillis(1, 0.0)).as("attempt 1, random 0: no jitter").isEqualTo(2000);
        assertThat(Backoff.delayMillis(2, 0.85)).as("attempt 2, random 0.85: 4000 - 1700").isEqualTo(2300);
        assertThat(Backoff.delayMillis(2, 0.95)).as("attempt 2, random 0.95: 4000 + 1900, capped").isEqualTo(5000);
        assertThat(Backoff.delayMillis(3, 0.7)).as("attempt 3, random 0.7: 8000 + 2800, capped").isEqualTo(5000);
        assertThat(Backoff.delayMillis(3, 0.8)).as("attempt 3, random 0.8: 8000 - 3200 (jitter first, then the cap)")
                .isEqualTo(4800);
        assertThat(Backoff.delayMillis(1, 0.3, 100, 10_000, 0)).as("factor 0: no jitter at all").isEqualTo(200);
        assertThat(Backoff.delayMillis(200, 0.0)).as("attempt 200 (no overflow): the cap").isEqualTo(5000);
        assertThat(Backoff.delayMillis(5000, 0.31)).as("attempt 5000 (no overflow): the cap").isEqualTo(5000);
    }

    @Test
    @DisplayName("500 clients that lost the server together do not all come back in the same 100 ms window")
    void noReconnectStorm() {
        List<Long> jittered = comebacks(Backoff::delayMillis);
        assertThat(busiestWindow(jittered)).as("clients of 500 back in the busiest 100 ms window (server down 30 s)")
                .isLessThanOrEqualTo(50);
        List<Long> firstTries = new ArrayList<>();
        Random random = new Random(SEED);
        for (int i = 0; i < 500; i++) {
            firstTries.add(Backoff.delayMillis(0, random.nextDouble()));
        }
        assertThat(busiestWindow(firstTries)).as("clients of 500 whose first attempt falls in the busiest 100 ms window")
                .isLessThanOrEqualTo(75);
        // the same crowd without jitter: everyone in one window, the storm the jitter prevents
        assertThat(busiestWindow(comebacks((n, r) -> Backoff.delayMillis(n, r, 1000, 5000, 0)))).as("without jitter").isEqualTo(500);
    }

    interface Delay {
        long millis(int attempt, double random);
    }

    /** When each of 500 clients is back, in ms after they all lost a server that is down for 30 s (failed attempts fail at once). */
    private static List<Long> comebacks(Delay delay) {
        Random random = new Random(SEED);
        List<Long> back = new ArrayList<>();
        for (int client = 0; client < 500; client++) {
            long t = 0;
            int attempt = 0;
            do {
                t += delay.millis(attempt++, random.nextDouble());
            } while (t < 30_000);
            back.add(t);
        }
        return back;
    }

    private static int busiestWindow(List<Long> times) {
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        int best = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= 100) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }
}
