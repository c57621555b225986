package relaylab.realtime.client;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

class ReconnectionTest {
    private static long delay(ClientOptions o, int attempt, double random) {
        return Reconnection.delayMillis(o, attempt, random);
    }

    @Test
    @DisplayName("the reconnection delay doubles from 1 s to a 5 s cap, randomised by the factor")
    void backoff() {
        ClientOptions o = new ClientOptions();
        assertThat(List.of(delay(o, 0, 0.5), delay(o, 1, 0.5), delay(o, 2, 0.5), delay(o, 3, 0.5), delay(o, 10, 0.5)))
                .as("delays without jitter (random = 0.5)").containsExactly(1000L, 2000L, 4000L, 5000L, 5000L);
        assertThat(delay(o, 0, 0.0)).as("lowest jitter: -50 %").isEqualTo(500L);
        assertThat(delay(o, 0, 0.999)).as("highest jitter: about +50 %").isBetween(1490L, 1500L);
        assertThat(delay(o, 5, 0.999)).as("never above the cap").isEqualTo(5000L);
        o.reconnectionDelay(Duration.ofMillis(10)).reconnectionDelayMax(Duration.ofMillis(40)).randomizationFactor(0);
        assertThat(List.of(delay(o, 0, 0.9), delay(o, 1, 0.1), delay(o, 2, 0.3), delay(o, 3, 0.3)))
                .containsExactly(10L, 20L, 40L, 40L);
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
