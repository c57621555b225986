package relaylab.realtime;

import relaylab.realtime.protocol.Outbound;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat of one {@link EngineSession}, as Engine.IO v4 has it: the server pings every {@code pingInterval}, the
 * client must answer with a pong within {@code pingTimeout}, or the session closes with "ping timeout". One timer at a
 * time on the server's scheduler: the next ping, or the deadline of the pong awaited.
 */
final class Heartbeat {
    private final EngineSession session;
    // guarded by "this"
    private ScheduledFuture<?> timer;
    private boolean awaitingPong;
    private boolean stopped;
    private int pongs;

    Heartbeat(EngineSession session) {
        this.session = session;
    }

    /** Schedules the first ping. */
    void start() {
        schedulePing();
    }

    private void schedulePing() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            timer = session.server.scheduler.schedule(this::sendPing, session.server.config.pingInterval.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void sendPing() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            awaitingPong = true;
            timer = session.server.scheduler.schedule(this::pingTimedOut, session.server.config.pingTimeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        session.send(Outbound.PING);
    }

    private void pingTimedOut() {
        String note = EngineSession.CLOSE_LINES.spend();
        if (note != null) {
            EngineSession.LOG.log(System.Logger.Level.INFO, "connection " + session.sid + " from " + session.address
                    + " did not answer the ping within " + session.server.config.pingTimeout.toMillis() + " ms; closing it" + note);
        }
        session.close("ping timeout");
    }

    /** The client's pong: schedules the next ping (a pong nobody asked for is ignored). */
    void onPong() {
        synchronized (this) {
            if (stopped || !awaitingPong) {
                return;
            }
            awaitingPong = false;
            pongs++;
            if (timer != null) {
                timer.cancel(false);
            }
        }
        schedulePing();
    }

    /** The session closes: no more pings. */
    synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    synchronized int pongs() {
        return pongs;
    }
}
