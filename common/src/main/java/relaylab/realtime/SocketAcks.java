package relaylab.realtime;

import relaylab.realtime.protocol.PacketCodec;
import relaylab.realtime.protocol.PacketType;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The acknowledgements of one {@link RealtimeSocket}, both ways: those the server waits for after
 * {@link RealtimeSocket#emitWithAck} (ids, timeouts, failed when the socket disconnects), and the {@link Ack} handed to
 * handlers when the client asked for one (sent once as an ACK packet).
 */
final class SocketAcks {
    private static final System.Logger LOG = CoreLog.LOG;

    private final RealtimeSocket socket;
    // guarded by "this"; created on the first emitWithAck
    private Map<Long, Pending> pending;
    private long nextId;

    private record Pending(CompletableFuture<List<Object>> future, ScheduledFuture<?> timer, String event) {
    }

    SocketAcks(RealtimeSocket socket) {
        this.socket = socket;
    }

    /** A new ack id whose {@code future} fails with a TimeoutException unless the client acknowledges within {@code timeout}. */
    synchronized long expect(String event, Duration timeout, CompletableFuture<List<Object>> future) {
        long ackId = nextId++;
        if (pending == null) {
            pending = new HashMap<>(4);
        }
        ScheduledFuture<?> timer = socket.connection.server.scheduler.schedule(() -> {
            if (remove(ackId) != null) {
                future.completeExceptionally(new TimeoutException("socket " + socket.id() + " did not acknowledge '" + event
                        + "' within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        pending.put(ackId, new Pending(future, timer, event));
        return ackId;
    }

    private synchronized Pending remove(long ackId) {
        return pending == null ? null : pending.remove(ackId);
    }

    /** The client's ACK arrived: completes the emitWithAck waiting for it; a late or unknown id is noted and ignored. */
    void received(long ackId, List<Object> args) {
        Pending p = remove(ackId);
        if (p == null) {
            if (socket.connection.mayNote()) {
                LOG.log(System.Logger.Level.INFO, "socket " + socket.id() + " sent ack " + ackId + " that nobody waits for"
                        + " (late or unknown); ignored");
            }
            return;
        }
        p.timer().cancel(false);
        p.future().complete(args);
    }

    /** The socket disconnected ({@code reason}): every emitWithAck still waiting fails with an IllegalStateException. */
    void failAll(String reason) {
        Map<Long, Pending> all;
        synchronized (this) {
            all = pending;
            pending = null;
        }
        if (all != null) {
            for (Pending p : all.values()) {
                p.timer().cancel(false);
                p.future().completeExceptionally(new IllegalStateException("socket " + socket.id() + " disconnected (" + reason
                        + ") before acknowledging '" + p.event() + "'"));
            }
        }
    }

    /** The ack handed to handlers of an event the client sent with an ack id ({@link Ack#NONE} for none). */
    Ack reply(long ackId) {
        return ackId < 0 ? Ack.NONE : new Reply(ackId);
    }

    /** Sends {@code 43<id>[...]} once; a second send is ignored. */
    private final class Reply extends AtomicBoolean implements Ack {
        private final long ackId;

        Reply(long ackId) {
            this.ackId = ackId;
        }

        @Override
        public void send(Object... args) {
            if (!compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.DEBUG, () -> "ack " + ackId + " of socket " + socket.id() + " already sent; ignored");
                return;
            }
            if (socket.connected()) {
                socket.connection.send(PacketCodec.encode(PacketType.ACK, socket.namespace().name(), ackId, Arrays.asList(args)));
            }
        }
    }
}
