package relaylab.realtime.client;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

class ReconnectionTest {
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reconnection-test-timer");
        t.setDaemon(true);
        return t;
    });

    private static long delay(ClientOptions o, int attempt, double random) {
        return Reconnection.delayMillis(o, attempt, random);
    }

    @Test
    @DisplayName("the reconnection delay doubles from 1 s, is moved by up to ±50 % of itself, and only then capped at 5 s")
    void backoff() {
        ClientOptions o = new ClientOptions();
        assertThat(List.of(delay(o, 0, 0.0), delay(o, 1, 0.0), delay(o, 2, 0.0), delay(o, 3, 0.0), delay(o, 10, 0.0)))
                .as("delays with random = 0 (no deviation)").containsExactly(1000L, 2000L, 4000L, 5000L, 5000L);
        // deviation = floor(random * 0.5 * ms); floor(random * 10) even subtracts it, odd adds it
        assertThat(delay(o, 0, 0.25)).as("random 0.25 on 1 s: 125 ms, subtracted (2 is even)").isEqualTo(875L);
        assertThat(delay(o, 0, 0.35)).as("random 0.35 on 1 s: 175 ms, added (3 is odd)").isEqualTo(1175L);
        assertThat(delay(o, 0, 0.999)).as("highest jitter: about +50 %").isEqualTo(1499L);
        assertThat(delay(o, 0, 0.899)).as("lowest jitter: about -50 %").isEqualTo(551L);
        // the cap comes last: attempt 3 is 8 s moved by up to ±4 s, so it can end below the cap
        assertThat(delay(o, 3, 0.8)).as("8 s - 3.2 s, under the 5 s cap").isEqualTo(4800L);
        assertThat(delay(o, 3, 0.9)).as("8 s + 3.6 s, capped").isEqualTo(5000L);
        assertThat(delay(o, 4, 0.98)).as("16 s - 7.84 s is still above the cap").isEqualTo(5000L);
        o.reconnectionDelay(Duration.ofMillis(10)).reconnectionDelayMax(Duration.ofMillis(40)).randomizationFactor(0);
        assertThat(List.of(delay(o, 0, 0.9), delay(o, 1, 0.1), delay(o, 2, 0.3), delay(o, 3, 0.3)))
                .containsExactly(10L, 20L, 40L, 40L);
    }

    @Test
    @DisplayName("with a seeded random every delay is reproducible: attempts 0-3 spread as socket.io's, from attempt 4 on exactly the cap")
    void seededDelays() {
        ClientOptions o = new ClientOptions();
        List<List<Long>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Random seeded = new Random(20261201L);
            Reconnection r = new Reconnection(o, seeded::nextDouble);
            List<Long> delays = new ArrayList<>();
            for (int series = 0; series < 200; series++) {
                for (int attempt = 0; attempt < 6; attempt++) {
                    delays.add(r.schedule(TIMERS, () -> { }));
                    r.cancel();
                }
                r.cancel();
                r.reset();
            }
            runs.add(delays);
        }
        assertThat(runs.get(1)).as("the same seed gives the same delays").isEqualTo(runs.get(0));
        List<Long> delays = runs.get(0);
        for (int attempt = 0; attempt < 6; attempt++) {
            long base = 1000L << attempt;
            long low = Math.min(base - base / 2, 5000);
            long high = Math.min(base + base / 2, 5000);
            for (int i = attempt; i < delays.size(); i += 6) {
                assertThat(delays.get(i)).as("attempt %d of series %d", attempt, i / 6).isBetween(low, high);
            }
        }
        List<Long> third = new ArrayList<>();
        for (int i = 3; i < delays.size(); i += 6) {
            third.add(delays.get(i));
        }
        assertThat(third).as("attempt 3 (8 s ± 4 s): jitter before the cap leaves some below 5 s")
                .anySatisfy(d -> assertThat(d).isLessThan(5000L));
        assertThat(third).as("attempt 3: others reach the cap").anySatisfy(d -> assertThat(d).isEqualTo(5000L));
        List<Long> first = new ArrayList<>();
        for (int i = 0; i < delays.size(); i += 6) {
            first.add(delays.get(i));
        }
        assertThat(first).as("attempt 0 is spread both ways")
                .anySatisfy(d -> assertThat(d).isLessThan(900L)).anySatisfy(d -> assertThat(d).isGreaterThan(1100L));
    }

    @Test
    @DisplayName("attempts are counted up to reconnectionAttempts and start again after a connection")
    void countsAttempts() {
        ClientOptions o = new ClientOptions();
        o.reconnectionAttempts(2).reconnectionDelay(Duration.ofMillis(1)).reconnectionDelayMax(Duration.ofMillis(1));
        Reconnection r = new Reconnection(o);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try {
            assertThat(r.mayRetry()).as("before any attempt").isTrue();
            r.schedule(timers, () -> { });
            r.schedule(timers, () -> { });
            assertThat(r.attempts()).as("attempts scheduled").isEqualTo(2);
            assertThat(r.mayRetry()).as("after reconnectionAttempts(2) attempts").isFalse();
            r.reset();
            assertThat(r.mayRetry()).as("after a successful connection").isTrue();
            o.reconnection(false);
            assertThat(r.mayRetry()).as("with reconnection(false)").isFalse();
        } finally {
            timers.shutdownNow();
        }
    }
}
