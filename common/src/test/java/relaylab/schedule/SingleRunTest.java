package relaylab.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SingleRunTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Test
    @DisplayName("a tick that comes while the job still runs is skipped with one line, not started twice")
    void noOverlap() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inside = new CountDownLatch(1);
        Runnable slowJob = () -> {
            started.incrementAndGet();
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            inside.countDown();
            try {
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrent.decrementAndGet();
            }
        };
        try (SingleRun run = new SingleRun("backup", lines::add, Throwable::getMessage)) {
            assertThat(run.start("10:00:00", slowJob)).as("the first tick starts the job").isTrue();
            assertThat(inside.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(run.start("10:00:10", slowJob)).as("a tick while it runs").isFalse();
            assertThat(run.start("10:00:20", slowJob)).as("another tick while it runs").isFalse();
            assertThat(lines).containsExactly("10:00:10: backup skipped, the previous run is still going",
                    "10:00:20: backup skipped, the previous run is still going");
            release.countDown();
            assertThat(run.awaitIdle(WAIT)).isTrue();
            assertThat(run.start("10:00:30", slowJob)).as("the first tick after it finished").isTrue();
            assertThat(run.awaitIdle(WAIT)).isTrue();
        }
        assertThat(started).as("runs started").hasValue(2);
        assertThat(maxConcurrent).as("runs at the same time, at most").hasValue(1);
    }

    @Test
    @DisplayName("a failed run prints one line and the next tick runs again")
    void failureThenRetry() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Runnable flaky = () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("MongoDB at mongodb://127.0.0.1:1 is not reachable");
            }
            lines.add("copied");
        };
        try (SingleRun run = new SingleRun("backup", lines::add, Throwable::getMessage)) {
            assertThat(run.start("10:05:00", flaky)).isTrue();
            assertThat(run.awaitIdle(WAIT)).isTrue();
            assertThat(run.start("10:10:00", flaky)).as("the next tick after a failure").isTrue();
            assertThat(run.awaitIdle(WAIT)).isTrue();
        }
        assertThat(lines).containsExactly(
                "10:05:00: backup failed: MongoDB at mongodb://127.0.0.1:1 is not reachable; the next tick retries", "copied");
    }
}
