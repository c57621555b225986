import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import relaylab.workbook.Task;

/**
 * The client's half of the heartbeat. The server pings every pingInterval and closes a connection that
 * has not answered within pingTimeout ("ping timeout"); the client, for its part, expects a ping at least
 * every pingInterval + pingTimeout and declares the connection dead when none came. A dead connection
 * may still look open: a frozen network closes nothing, so only this timer can tell.
 */
final class Heartbeat {
    private final Duration deadAfter;
    private final ScheduledExecutorService timers;
    private final Runnable onDead;
    private ScheduledFuture<?> timer;   // guarded by this: the pending "no ping in time" timer
    private boolean stopped;            // guarded by this

    /** Calls {@code onDead} once when no ping came for pingInterval + pingTimeout; call {@link #pinged()} to start. */
    Heartbeat(Duration pingInterval, Duration pingTimeout, ScheduledExecutorService timers, Runnable onDead) {
        this.deadAfter = deadAfter(pingInterval, pingTimeout);
        this.timers = timers;
        this.onDead = onDead;
    }

    @Task(number = 1, title = "Notice a dead peer",
            hint = "A ping is due every pingInterval, and the server waits pingTimeout for its pong: deadAfter is their sum"
                    + " (25 s + 20 s = 45 s by default). In pinged, cancel the timer that is waiting (if any) and"
                    + " schedule a new one on timers that runs onDead after deadAfter; keep it in the timer field.")
    static Duration deadAfter(Duration pingInterval, Duration pingTimeout) {
        // TODO 1: how long without a ping before the connection counts as dead (task 1)
        throw new UnsupportedOperationException("TODO 1: compute how long to wait for a ping");
    }

    /** A ping arrived (and when the connection opens): the peer is alive, so the countdown starts again. */
    synchronized void pinged() {
        if (stopped) {
            return;
        }
        // TODO 1: cancel the timer that is waiting, and schedule onDead after deadAfter in its place (task 1)
        throw new UnsupportedOperationException("TODO 1: restart the countdown when a ping arrives");
    }

    /** The connection ended anyway: no more countdown. */
    synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
