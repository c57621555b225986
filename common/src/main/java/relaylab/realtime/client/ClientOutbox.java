package relaylab.realtime.client;

import relaylab.realtime.Ack;
import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.PacketCodec;
import relaylab.realtime.protocol.PacketType;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a {@link RealtimeClient} sends on its namespace and the bookkeeping around it: events encoded for the namespace,
 * the emits kept while disconnected (sent in order after the next connection), the acks the client waits for
 * ({@link ClientAcks}) and the acks it gives to the server's emitWithAck. Whether to send now or keep is the
 * {@link ClientManager}'s call, made under its lock.
 */
final class ClientOutbox {
    private final String namespace;
    private final ClientAcks acks;
    // guarded by "this"
    private final ArrayDeque<Outbound> kept = new ArrayDeque<>();

    ClientOutbox(String namespace, ScheduledExecutorService timers) {
        this.namespace = namespace;
        this.acks = new ClientAcks(timers);
    }

    /** An EVENT for this namespace; {@code ackId} -1 for none. Refuses reserved event names. */
    Outbound event(String event, long ackId, Object[] args) {
        PacketCodec.checkEmittable(event);
        return PacketCodec.encodeEvent(namespace, event, ackId, args);
    }

    /** A new ack id whose {@code future} gets the server's ACK, or a TimeoutException after {@code timeout}. */
    long expectAck(String event, Duration timeout, CompletableFuture<List<Object>> future) {
        return acks.expect(event, timeout, future);
    }

    /** The server acknowledged {@code ackId}. */
    void acknowledged(long ackId, List<Object> args) {
        acks.complete(ackId, args);
    }

    /** The ack handed to a listener of an event the server sent with emitWithAck: answers once, on {@code t}. */
    Ack reply(ClientTransport t, long ackId) {
        AtomicBoolean sent = new AtomicBoolean();
        return args -> {
            if (sent.compareAndSet(false, true)) {
                t.send(PacketCodec.encode(PacketType.ACK, namespace, ackId, Arrays.asList(args)));
            }
        };
    }

    /** Keeps a packet emitted while disconnected. */
    synchronized void keep(Outbound packet) {
        kept.add(packet);
    }

    /** Connected: sends what was kept, in emit order. */
    synchronized void flush(ClientTransport t) {
        for (Outbound packet : kept) {
            t.send(packet);
        }
        kept.clear();
    }

    /** The client will not send any more: drops what was kept and fails every ack still awaited with {@code why}. */
    void failAll(String why) {
        synchronized (this) {
            kept.clear();
        }
        acks.failAll(why);
    }
}
