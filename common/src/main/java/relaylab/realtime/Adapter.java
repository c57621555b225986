package relaylab.realtime;

import org.xnio.XnioIoThread;
import relaylab.realtime.internal.FanoutProbe;
import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.PacketCodec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Where a namespace's broadcasts go: every {@code emit} to many sockets, {@code to}, {@code except},
 * {@code socketsJoin}/{@code socketsLeave}, {@code disconnectSockets}, {@code sockets()} and {@code fetchSockets()} of a
 * {@link Broadcast}, and the namespace's {@code serverSideEmit}, pass through the namespace's adapter. This class is the default: the sockets of this server only, the packet
 * encoded once and queued on each target's writer. To run several servers as one (lesson 13), subclass it,
 * override {@link #broadcast} to also tell the other servers, and call {@link #deliverLocally} with what they
 * send you. Choose the adapter with {@link RealtimeConfig#adapter}; one instance serves one namespace.
 */
public class Adapter {
    /** The namespace this adapter serves. */
    protected final Namespace namespace;

    /** Called by the server once per namespace, through the factory given to {@link RealtimeConfig#adapter}. */
    public Adapter(Namespace namespace) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /**
     * What a broadcast targets: the sockets in any of {@code rooms} (every socket when empty), minus those in any
     * of {@code except} and minus {@code excluded} (the sender of {@code socket.broadcast()}, or null);
     * {@code droppable} for a volatile emit.
     */
    public record Target(List<String> rooms, List<String> except, RealtimeSocket excluded, boolean droppable) {
        public Target {
            rooms = List.copyOf(rooms);
            except = List.copyOf(except);
        }

        /** The excepted rooms plus the excluded socket's id (a socket id is a room): what another server needs. */
        public List<String> exceptWithSender() {
            if (excluded == null) {
                return except;
            }
            List<String> all = new ArrayList<>(except);
            all.add(excluded.id());
            return List.copyOf(all);
        }
    }

    /**
     * Called for every broadcast emit of the namespace; returns how many sockets of this server got it. The
     * default delivers locally; an adapter for several servers also publishes it (event, args, target) here.
     */
    public int broadcast(Target target, String event, Object[] args) {
        return deliverLocally(target, event, args);
    }

    /**
     * Sends the event to the sockets of this server that match {@code target}: encoded once, WebSocket targets
     * grouped by I/O thread. Call it for broadcasts of this server and for those another server published.
     */
    protected final int deliverLocally(Target target, String event, Object[] args) {
        PacketCodec.checkEmittable(event);
        ConnectionRecovery recovery = namespace.server().recovery;
        if (recovery != null && !target.droppable()) {
            // kept with its offset for the sockets that will come back, in one step with the delivery
            synchronized (recovery.lock(namespace.name())) {
                return deliver(target, recovery.keep(namespace.name(), event, args, target.rooms(), target.exceptWithSender()));
            }
        }
        return deliver(target, PacketCodec.encodeEvent(namespace.name(), event, -1, args));
    }

    private int deliver(Target target, Outbound packet) {
        Fanout fanout = new Fanout(packet, namespace.sockets.size(), target.droppable());
        forEachLocal(target, fanout);
        fanout.flush();
        return fanout.count;
    }

    /** Called by {@link Broadcast#socketsJoin}: the matching sockets of this server join {@code room}. */
    public void addSockets(Target target, String room) {
        for (RealtimeSocket socket : fetchSockets(target)) {
            socket.join(room);
        }
    }

    /** Called by {@link Broadcast#socketsLeave}: the matching sockets of this server leave {@code room}. */
    public void delSockets(Target target, String room) {
        for (RealtimeSocket socket : fetchSockets(target)) {
            socket.leave(room);
        }
    }

    /** Called by {@link Broadcast#disconnectSockets}: disconnects the matching sockets of this server. */
    public void disconnectSockets(Target target) {
        for (RealtimeSocket socket : fetchSockets(target)) {
            socket.disconnect();
        }
    }

    /** Called by {@link Broadcast#sockets}: a snapshot of the matching sockets of this server. */
    public List<RealtimeSocket> fetchSockets(Target target) {
        List<RealtimeSocket> result = new ArrayList<>();
        forEachLocal(target, result::add);
        return result;
    }

    /**
     * Called by {@link Broadcast#fetchSockets}: the matching sockets of every server of the cluster. The default
     * completes at once with this server's sockets; an adapter for several servers also asks the others, and
     * fails the future with a {@link java.util.concurrent.TimeoutException} saying how many answered when one is
     * too slow.
     */
    public CompletableFuture<List<RemoteSocket>> fetchClusterSockets(Target target) {
        List<RemoteSocket> result = new ArrayList<>();
        forEachLocal(target, socket -> result.add(RemoteSocket.of(socket)));
        return CompletableFuture.completedFuture(result);
    }

    /**
     * Called by {@link Namespace#serverSideEmit}: sends the event to the other servers of the cluster (their
     * {@link Namespace#onServerSideEmit} handlers), never to this one. The default does nothing: there is no
     * other server.
     */
    public void serverSideEmit(String event, Object[] args) {
    }

    /**
     * Called by {@link Namespace#serverSideEmitWithAck}: like {@link #serverSideEmit}, and completes with one
     * answer per other server. The default completes at once with no answers (there is no other server).
     */
    public CompletableFuture<List<Object>> serverSideEmitWithAck(String event, Object[] args) {
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * Call it when another server sent a server-side emit: runs this namespace's handlers for {@code event} on a
     * worker thread; {@code ack} carries the first argument a handler sends back to the other server.
     */
    protected final void receiveServerSideEmit(String event, List<Object> args, Ack ack) {
        namespace.server().executor().execute(() -> namespace.dispatchServerSideEmit(event, args, ack));
    }

    /** A socket another server reported (in answer to {@link #fetchClusterSockets}), for subclasses to return. */
    protected final RemoteSocket remoteSocket(String id, Handshake handshake, Collection<String> rooms, Map<String, ?> data) {
        return new RemoteSocket(namespace, id, handshake, rooms, data);
    }

    /** Called when the server stops: release connections and threads (nothing to do in memory). */
    public void close() {
    }

    /** Calls {@code action} once for each connected socket of this server that {@code target} matches. */
    protected final void forEachLocal(Target target, Consumer<RealtimeSocket> action) {
        List<String> rooms = target.rooms();
        if (rooms.isEmpty()) {
            for (RealtimeSocket socket : namespace.sockets.values()) {
                if (accepts(target, socket)) {
                    action.accept(socket);
                }
            }
            return;
        }
        for (int i = 0; i < rooms.size(); i++) {
            Collection<RealtimeSocket> members = namespace.members(rooms.get(i));
            for (RealtimeSocket socket : members) {
                if (accepts(target, socket) && !inEarlierRoom(rooms, socket, i)) {
                    action.accept(socket);
                }
            }
        }
    }

    private static boolean inEarlierRoom(List<String> rooms, RealtimeSocket socket, int index) {
        for (int j = 0; j < index; j++) {
            if (socket.inRoom(rooms.get(j))) {
                return true;
            }
        }
        return false;
    }

    private static boolean accepts(Target target, RealtimeSocket socket) {
        if (socket == target.excluded() || !socket.connected()) {
            return false;
        }
        List<String> except = target.except();
        for (int i = 0, n = except.size(); i < n; i++) {
            if (socket.inRoom(except.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Delivers one encoded packet to many connections: polling targets get it queued at once; WebSocket
     * targets are grouped by I/O thread and each I/O thread writes to its own connections in one task,
     * so a broadcast costs one task hand-off per I/O thread instead of one per recipient.
     */
    private static final class Fanout implements Consumer<RealtimeSocket> {
        private final Outbound packet;
        private final int expected;
        private final boolean droppable;
        // when FanoutProbe is on: the emit's time, for the emit-to-write histogram
        private final long emitted = FanoutProbe.stamp();
        private XnioIoThread[] threads = new XnioIoThread[4];
        @SuppressWarnings("unchecked")
        private ArrayList<WebSocketWriter>[] lists = new ArrayList[4];
        private int groups;
        int count;

        Fanout(Outbound packet, int expected, boolean droppable) {
            this.packet = packet;
            this.expected = expected;
            this.droppable = droppable;
        }

        private void sendDirect(EngineSession connection) {
            if (droppable) {
                connection.sendVolatile(packet);
            } else {
                connection.send(packet);
            }
        }

        @Override
        public void accept(RealtimeSocket socket) {
            count++;
            EngineSession connection = socket.connection.session;
            WebSocketWriter writer = connection.webSocketWriter();
            if (writer == null) {
                sendDirect(connection);
                return;
            }
            XnioIoThread io = writer.io;
            int i = 0;
            while (i < groups && threads[i] != io) {
                i++;
            }
            if (i == groups) {
                if (groups == threads.length) {
                    // more I/O threads than expected (ioThreads above 4): still one hand-off per thread
                    threads = java.util.Arrays.copyOf(threads, groups * 2);
                    lists = java.util.Arrays.copyOf(lists, groups * 2);
                }
                threads[i] = io;
                lists[i] = new ArrayList<>(Math.max(16, expected / 2 + 1));
                groups++;
            }
            lists[i].add(writer);
        }

        void flush() {
            for (int i = 0; i < groups; i++) {
                List<WebSocketWriter> targets = lists[i];
                boolean handedOff = Thread.currentThread() != threads[i];
                Runnable write = () -> {
                    if (FanoutProbe.ON && handedOff) {
                        FanoutProbe.handoffStarted();
                    }
                    for (int k = 0, n = targets.size(); k < n; k++) {
                        targets.get(k).queue(packet, emitted);
                    }
                };
                if (!handedOff) {
                    write.run();
                } else {
                    try {
                        if (FanoutProbe.ON) {
                            FanoutProbe.handoffQueued(threads[i]);
                        }
                        threads[i].execute(write);
                    } catch (RejectedExecutionException e) {
                        // the server is stopping; nothing to deliver to
                    }
                }
            }
        }
    }

}
