package relaylab.realtime.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * When a {@link RealtimeClient} tries again: socket.io's exponential backoff (the delay doubles from
 * {@code reconnectionDelay}, is moved up or down by a random share of itself up to {@code randomizationFactor},
 * and only then capped at {@code reconnectionDelayMax}, as socket.io-client does), the attempt count, and the
 * timer of the next attempt. Guarded by the client's lock.
 */
final class Reconnection {
    private final ClientOptions options;
    private final DoubleSupplier random;
    private int attempts;
    private ScheduledFuture<?> timer;

    Reconnection(ClientOptions options) {
        this(options, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With the random numbers in [0, 1) the jitter uses: a seeded source makes every delay reproducible in tests. */
    Reconnection(ClientOptions options, DoubleSupplier random) {
        this.options = options;
        this.random = random;
    }

    /**
     * The delay before reconnection attempt {@code attempt} (0-based), socket.io-client's formula: {@code ms = delay *
     * 2^attempt}; {@code deviation = floor(random * factor * ms)}, subtracted when {@code floor(random * 10)} is even and
     * added when odd; then {@code min(ms, max)}. The cap comes last, so from the attempt where even the lowest jitter is
     * above the cap on, every delay is exactly the cap.
     */
    static long delayMillis(ClientOptions options, int attempt, double random) {
        double ms = options.reconnectionDelay.toMillis() * Math.pow(2, Math.min(attempt, 30));
        if (options.randomizationFactor > 0) {
            double deviation = Math.floor(random * options.randomizationFactor * ms);
            ms = ((long) Math.floor(random * 10) & 1) == 0 ? ms - deviation : ms + deviation;
        }
        return Math.max(0, (long) Math.min(ms, options.reconnectionDelayMax.toMillis()));
    }

    /** True when reconnection is on and attempts are left. */
    boolean mayRetry() {
        return options.reconnection && attempts < options.reconnectionAttempts;
    }

    /** Schedules {@code open} after the next backoff delay; returns the delay in ms. Call only when {@link #mayRetry()}. */
    long schedule(ScheduledExecutorService timers, Runnable open) {
        long delay = delayMillis(options, attempts++, random.getAsDouble());
        timer = timers.schedule(open, delay, TimeUnit.MILLISECONDS);
        return delay;
    }

    /** The number of the attempt scheduled last (1 for the first). */
    int attempts() {
        return attempts;
    }

    /** The scheduled attempt has started. */
    void started() {
        timer = null;
    }

    /** Connected: the next drop starts again from the first delay. */
    void reset() {
        attempts = 0;
    }

    /** Cancels a scheduled attempt (the client stops). */
    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
