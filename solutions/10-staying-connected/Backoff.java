import java.time.Duration;
import relaylab.workbook.Task;

/**
 * How long to wait before reconnection attempt n: socket.io's formula. The delay doubles with each
 * failed attempt, is moved up or down by a random share of itself (the jitter), and only then capped,
 * so that clients that lost the server at the same moment do not all come back at the same moment.
 */
final class Backoff {
    /** socket.io's defaults: reconnectionDelay, reconnectionDelayMax, randomizationFactor. */
    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(5);
    static final double FACTOR = 0.5;

    private Backoff() {
    }

    /** The delay before attempt {@code attempt} (0 for the first) with socket.io's defaults. */
    static long delayMillis(int attempt, double random) {
        return delayMillis(attempt, random, BASE.toMillis(), MAX.toMillis(), FACTOR);
    }

    @Task(number = 2, title = "Reconnect with exponential backoff and jitter",
            hint = "ms = base * 2^attempt (cap the exponent, e.g. at 30, so it never overflows). deviation ="
                    + " floor(random * factor * ms); subtract it when floor(random * 10) is even, add it when odd."
                    + " Then cap at max: the jitter comes first, the cap last, exactly as socket.io does.")
    static long delayMillis(int attempt, double random, long baseMillis, long maxMillis, double factor) {
        double ms = baseMillis * Math.pow(2, Math.min(attempt, 30));
        if (factor > 0) {
            double deviation = Math.floor(random * factor * ms);
            ms = ((int) Math.floor(random * 10) & 1) == 0 ? ms - deviation : ms + deviation;
        }
        return (long) Math.min(ms, maxMillis);
    }
}
