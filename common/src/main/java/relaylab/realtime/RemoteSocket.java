package relaylab.realtime;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A socket as {@code fetchSockets()} returns it: connected to this server or to another server of the cluster
 * (see {@link Adapter#fetchClusterSockets}). Its id, handshake, rooms and data are a snapshot taken when it was
 * fetched; {@link #emit}, {@link #join}, {@link #leave} and {@link #disconnect} act on the real socket wherever it
 * is, through the namespace's adapter (like socket.io's {@code RemoteSocket}).
 */
public final class RemoteSocket {
    private final Namespace namespace;
    private final String id;
    private final Handshake handshake;
    private final Set<String> rooms;
    private final Map<String, Object> data;

    RemoteSocket(Namespace namespace, String id, Handshake handshake, Collection<String> rooms, Map<String, ?> data) {
        this.namespace = namespace;
        this.id = id;
        this.handshake = handshake;
        this.rooms = Collections.unmodifiableSet(new LinkedHashSet<>(rooms));
        this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    static RemoteSocket of(RealtimeSocket socket) {
        return new RemoteSocket(socket.namespace(), socket.id(), socket.handshake(), socket.rooms(), socket.data());
    }

    /** The socket's id, also the name of its private room. */
    public String id() {
        return id;
    }

    /** What the client sent when it connected (from another server: what that server reported of it). */
    public Handshake handshake() {
        return handshake;
    }

    /** The rooms the socket was in when fetched, its own id room included. */
    public Set<String> rooms() {
        return rooms;
    }

    /** The socket's {@code data} when fetched (read-only; empty when the server had none or it was not a JSON object). */
    public Map<String, Object> data() {
        return data;
    }

    /** Sends an event to this socket, wherever it is connected. */
    public void emit(String event, Object... args) {
        namespace.to(id).emit(event, args);
    }

    /** Makes this socket join {@code room}, wherever it is connected. */
    public void join(String room) {
        namespace.to(id).socketsJoin(room);
    }

    /** Makes this socket leave {@code room}, wherever it is connected. */
    public void leave(String room) {
        namespace.to(id).socketsLeave(room);
    }

    /** Disconnects this socket from its namespace, wherever it is connected. */
    public void disconnect() {
        namespace.to(id).disconnectSockets();
    }

    @Override
    public String toString() {
        return "RemoteSocket[" + id + " on " + namespace.name() + ", rooms " + rooms + "]";
    }
}
