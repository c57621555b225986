package relaylab.realtime;

import relaylab.realtime.protocol.PacketCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A set of target sockets built with {@code to(room)} / {@code except(room)}, then sent to with
 * {@link #emit}. Immutable: each call returns a new Broadcast. A socket in several target rooms gets
 * the event once. The packet is encoded once and the same bytes go to every target. Where the event goes is the
 * namespace's {@link Adapter}'s business: this server's sockets only by default, other servers too with an
 * adapter over Redis (lesson 13).
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

    /**
     * Sends the event to every target socket, through the namespace's {@link Adapter} (which may also pass it to
     * other servers); returns how many sockets of this server it was sent to.
     */
    public int emit(String event, Object... args) {
        PacketCodec.checkEmittable(event);
        return namespace.adapter().broadcast(target(false), event, args);
    }

    /** Like {@link #emit} but each target may drop it when its connection is not ready (see {@link RealtimeSocket#volatileEmit}). */
    public int volatileEmit(String event, Object... args) {
        PacketCodec.checkEmittable(event);
        return namespace.adapter().broadcast(target(true), event, args);
    }

    /** Makes every target socket join {@code room} (e.g. move everyone of room "a" into "b"). */
    public void socketsJoin(String room) {
        namespace.adapter().addSockets(target(false), Objects.requireNonNull(room, "room"));
    }

    /** Makes every target socket leave {@code room}. */
    public void socketsLeave(String room) {
        namespace.adapter().delSockets(target(false), Objects.requireNonNull(room, "room"));
    }

    /** A snapshot of the sockets of this server this broadcast would reach now. */
    public List<RealtimeSocket> sockets() {
        return namespace.adapter().fetchSockets(target(false));
    }

    /**
     * The target sockets of every server of the cluster (with a single server: its own), as {@link RemoteSocket}s
     * that can still be sent to, moved between rooms and disconnected. The future fails with a
     * {@link java.util.concurrent.TimeoutException} when another server does not answer in time (see the adapter).
     */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return namespace.adapter().fetchClusterSockets(target(false));
    }

    /** Disconnects every target socket (each one gets reason "server namespace disconnect"). */
    public void disconnectSockets() {
        namespace.adapter().disconnectSockets(target(false));
    }

    private Adapter.Target target(boolean droppable) {
        return new Adapter.Target(rooms, except, excluded, droppable);
    }
}
