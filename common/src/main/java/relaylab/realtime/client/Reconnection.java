package relaylab.realtime.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * When a {@link RealtimeClient} tries again: socket.io's exponential backoff (the delay doubles from
 * {@code reconnectionDelay} up to {@code reconnectionDelayMax}, randomised by ±{@code randomizationFactor}),
 * the attempt count, and the timer of the next attempt. Guarded by the client's lock.
 */
final class Reconnection {
    private final ClientOptions options;
    private int attempts;
    private ScheduledFuture<?> timer;

    Reconnection(ClientOptions options) {
        this.options = options;
    }

    /** The delay before reconnection attempt {@code attempt} (0-based): exponential, capped, with jitter. */
    static long delayMillis(ClientOptions options, int attempt, double random) {
        long max = options.reconnectionDelayMax.toMillis();
        double base = options.reconnectionDelay.toMillis() * Math.pow(2, Math.min(attempt, 30));
        double capped = Math.min(base, max);
        double jitter = capped * options.randomizationFactor * (2 * random - 1);
        return Math.max(0, Math.min(Math.round(capped + jitter), max));
    }

    /** True when reconnection is on and attempts are left. */
    boolean mayRetry() {
        return options.reconnection && attempts < options.reconnectionAttempts;
    }

    /** Schedules {@code open} after the next backoff delay; returns the delay in ms. Call only when {@link #mayRetry()}. */
    long schedule(ScheduledExecutorService timers, Runnable open) {
        long delay = delayMillis(options, attempts++, ThreadLocalRandom.current().nextDouble());
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
