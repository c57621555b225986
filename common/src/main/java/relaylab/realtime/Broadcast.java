package relaylab.realtime;

import org.xnio.XnioIoThread;
import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.PacketCodec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A set of target sockets built with {@code to(room)} / {@code except(room)}, then sent to with
 * {@link #emit}. Immutable: each call returns a new Broadcast. A socket in several target rooms gets
 * the event once. The packet is encoded once and the same bytes go to every target.
 */
public final class Broadcast {
    private final Namespace namespace;
    private final List<String> rooms;
    private final List<String> except;
    private final RealtimeSocket excluded;

    Broadcast(Namespace namespace, List<String> rooms, List<String> except, RealtimeSocket excluded) {
        this.namespace = namespace;
        this.rooms = rooms;
        this.except = except;
        this.excluded = excluded;
    }

    /** Adds a target room (union with the rooms already chosen). A socket id works as a room. */
    public Broadcast to(String room) {
        Objects.requireNonNull(room, "room");
        List<String> next = new ArrayList<>(rooms);
        next.add(room);
        return new Broadcast(namespace, List.copyOf(next), except, excluded);
    }

    /** Excludes the sockets in this room (or the socket with this id). */
    public Broadcast except(String room) {
        Objects.requireNonNull(room, "room");
        List<String> next = new ArrayList<>(except);
        next.add(room);
        return new Broadcast(namespace, rooms, List.copyOf(next), excluded);
    }

    /** Sends the event to every target socket; returns how many sockets it was sent to. */
    public int emit(String event, Object... args) {
        PacketCodec.checkEmittable(event);
        ConnectionRecovery recovery = namespace.server().recovery;
        if (recovery != null) {   // kept with its offset for the sockets that will come back, in one step with the delivery
            synchronized (recovery.lock(namespace.name())) {
                List<String> exceptIds = excluded == null ? except : concat(except, excluded.id());
                return deliver(recovery.keep(namespace.name(), event, args, rooms, exceptIds), false);
            }
        }
        return deliver(PacketCodec.encodeEvent(namespace.name(), event, -1, args), false);
    }

    private int deliver(Outbound packet, boolean droppable) {
        Fanout fanout = new Fanout(packet, namespace.sockets.size(), droppable);
        forEachTarget(fanout);
        fanout.flush();
        return fanout.count;
    }

    private static List<String> concat(List<String> list, String one) {
        List<String> all = new ArrayList<>(list);
        all.add(one);
        return all;
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
                Runnable write = () -> {
                    for (int k = 0, n = targets.size(); k < n; k++) {
                        targets.get(k).send(packet);
                    }
                };
                if (Thread.currentThread() == threads[i]) {
                    write.run();
                } else {
                    try {
                        threads[i].execute(write);
                    } catch (RejectedExecutionException e) {
                        // the server is stopping; nothing to deliver to
                    }
                }
            }
        }
    }

    /** Like {@link #emit} but each target may drop it when its connection is not ready (see {@link RealtimeSocket#volatileEmit}). */
    public int volatileEmit(String event, Object... args) {
        PacketCodec.checkEmittable(event);
        return deliver(PacketCodec.encodeEvent(namespace.name(), event, -1, args), true);
    }

    /** Makes every target socket join {@code room} (e.g. move everyone of room "a" into "b"). */
    public void socketsJoin(String room) {
        for (RealtimeSocket socket : sockets()) {
            socket.join(room);
        }
    }

    /** Makes every target socket leave {@code room}. */
    public void socketsLeave(String room) {
        for (RealtimeSocket socket : sockets()) {
            socket.leave(room);
        }
    }

    /** A snapshot of the sockets this broadcast would reach now. */
    public List<RealtimeSocket> sockets() {
        List<RealtimeSocket> result = new ArrayList<>();
        forEachTarget(result::add);
        return result;
    }

    /** Disconnects every target socket (each one gets reason "server namespace disconnect"). */
    public void disconnectSockets() {
        for (RealtimeSocket socket : sockets()) {
            socket.disconnect();
        }
    }

    private void forEachTarget(Consumer<RealtimeSocket> action) {
        if (rooms.isEmpty()) {
            for (RealtimeSocket socket : namespace.sockets.values()) {
                if (accepts(socket)) {
                    action.accept(socket);
                }
            }
            return;
        }
        for (int i = 0; i < rooms.size(); i++) {
            Collection<RealtimeSocket> members = namespace.members(rooms.get(i));
            for (RealtimeSocket socket : members) {
                if (accepts(socket) && !inEarlierRoom(socket, i)) {
                    action.accept(socket);
                }
            }
        }
    }

    private boolean inEarlierRoom(RealtimeSocket socket, int index) {
        for (int j = 0; j < index; j++) {
            if (socket.inRoom(rooms.get(j))) {
                return true;
            }
        }
        return false;
    }

    private boolean accepts(RealtimeSocket socket) {
        if (socket == excluded || !socket.connected()) {
            return false;
        }
        for (String room : except) {
            if (socket.inRoom(room)) {
                return false;
            }
        }
        return true;
    }
}
