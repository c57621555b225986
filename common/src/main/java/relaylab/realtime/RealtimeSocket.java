package relaylab.realtime;

import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.PacketCodec;
import relaylab.realtime.protocol.PacketType;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One client connected to one namespace, as seen by the server. Handed to connection handlers and
 * middlewares; use it to listen to the client's events, reply, emit to it, and put it in rooms.
 * Every socket is automatically in a room named by its {@link #id()}, so {@code server.to(id)} reaches it.
 *
 * <p>Inside: what it does with an event from its client is {@code SocketHandlers}; the acks both ways are {@code SocketAcks}.
 */
public final class RealtimeSocket {
    private static final System.Logger LOG = CoreLog.LOG;
    private final String id;
    private final Namespace namespace;
    /** The private session id given to the client for connection state recovery; null when recovery is off. */
    final String pid;
    private final boolean recovered;
    final SocketIoConnection connection;
    private final Handshake handshake;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet(2);
    private final AtomicBoolean connected = new AtomicBoolean();
    private volatile ConcurrentMap<String, Object> data;
    private final SocketHandlers handlers = new SocketHandlers(this);
    private final SocketAcks acks = new SocketAcks(this);

    RealtimeSocket(String id, Namespace namespace, SocketIoConnection connection, Handshake handshake) {
        this(id, null, false, namespace, connection, handshake);
    }

    /** A socket with a private session id {@code pid} (connection state recovery on), {@code recovered} or new. */
    RealtimeSocket(String id, String pid, boolean recovered, Namespace namespace, SocketIoConnection connection,
            Handshake handshake) {
        this.id = id;
        this.pid = pid;
        this.recovered = recovered;
        this.namespace = namespace;
        this.connection = connection;
        this.handshake = handshake;
    }

    /**
     * True when this socket came back after a dropped connection with its state recovered (see
     * {@link RealtimeConfig#connectionStateRecovery}): same id, rooms and data, and the missed events were
     * sent before anything else. A connection handler can then skip its welcome. False for a new session.
     */
    public boolean recovered() {
        return recovered;
    }

    /** This socket's id (the Socket.IO id, distinct from the Engine.IO session id); also the name of its private room. */
    public String id() {
        return id;
    }

    /** The namespace this socket joined; {@code namespace().name()} is e.g. "/" or "/admin". */
    public Namespace namespace() {
        return namespace;
    }

    /** What the client sent when connecting: auth object, query, headers, address. */
    public Handshake handshake() {
        return handshake;
    }

    /** Free per-socket storage for your own state (e.g. the user name after login); thread-safe. */
    public ConcurrentMap<String, Object> data() {
        ConcurrentMap<String, Object> d = data;
        if (d == null) {
            synchronized (this) {
                d = data;
                if (d == null) {
                    d = new ConcurrentHashMap<>(4);
                    data = d;
                }
            }
        }
        return d;
    }

    /** True from the moment the socket is connected until it disconnects. */
    public boolean connected() {
        return connected.get();
    }

    /**
     * Registers a handler for an event from this client; the handler may reply through its {@link Ack}.
     * Several handlers for one event all run, in registration order.
     */
    public RealtimeSocket on(String event, EventHandler handler) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handler, "handler");
        if (PacketCodec.reserved(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name; use onDisconnect(...) for disconnects");
        }
        handlers.on(event, handler);
        return this;
    }

    /** Registers a listener for an event from this client when no reply is needed. */
    public RealtimeSocket on(String event, EventListener listener) {
        Objects.requireNonNull(listener, "listener");
        return on(event, (args, ack) -> listener.onEvent(args));
    }

    /** Removes every handler this socket registered for the event (namespace-wide handlers stay). */
    public RealtimeSocket off(String event) {
        handlers.off(event);
        return this;
    }

    /**
     * Registers a listener that sees every event from this client (name and arguments) before its handlers
     * run; useful for logging, counting or rate limiting.
     */
    public RealtimeSocket onAny(BiConsumer<String, List<Object>> listener) {
        Objects.requireNonNull(listener, "listener");
        handlers.onAny(listener);
        return this;
    }

    /**
     * Adds a filter that runs for every event from this client before any handler: returning false drops the
     * event (logged; a requested ack is not sent). For validation and per-socket rate limits.
     */
    public RealtimeSocket use(EventFilter filter) {
        Objects.requireNonNull(filter, "filter");
        handlers.use(filter);
        return this;
    }

    /** Registers a listener called once when this socket disconnects, with the reason (e.g. "transport close"). */
    public RealtimeSocket onDisconnect(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
        handlers.onDisconnect(listener);
        return this;
    }

    /** Sends an event to this client only. Arguments are JSON-serialisable values (records, maps, lists...) or byte[]. */
    public RealtimeSocket emit(String event, Object... args) {
        checkEventName(event);
        ConnectionRecovery recovery = connection.server.recovery;
        if (recovery != null) {
            emitKept(recovery, event, args);
            return this;
        }
        if (!connected()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "emit '" + event + "' to disconnected socket " + id + " dropped");
            return this;
        }
        connection.send(PacketCodec.encodeEvent(namespace.name(), event, -1, args));
        return this;
    }

    /** With recovery on, an event to this socket is kept (with its offset), even while disconnected, as socket.io does. */
    private void emitKept(ConnectionRecovery recovery, String event, Object[] args) {
        synchronized (recovery.lock(namespace.name())) {
            Outbound packet = recovery.keep(namespace.name(), event, args, List.of(id), List.of());
            if (connected()) {
                connection.send(packet);
            }
        }
    }

    /**
     * Sends an event that may be dropped: only if the connection can take it right now (WebSocket open, or a
     * polling request waiting). For frequent, soon-stale updates such as cursor positions.
     */
    public RealtimeSocket volatileEmit(String event, Object... args) {
        checkEventName(event);
        if (connected()) {
            connection.sendVolatile(PacketCodec.encodeEvent(namespace.name(), event, -1, args));
        }
        return this;
    }

    /**
     * Sends an event to this client and asks it to acknowledge. The future completes with the client's ack
     * arguments, or fails with a {@link TimeoutException} after {@code timeout}, or with an
     * IllegalStateException if the socket disconnects first.
     */
    public CompletableFuture<List<Object>> emitWithAck(String event, Duration timeout, Object... args) {
        checkEventName(event);
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<List<Object>> future = new CompletableFuture<>();
        if (!connected()) {
            future.completeExceptionally(new IllegalStateException("socket " + id + " is not connected; cannot emit '" + event + "'"));
            return future;
        }
        long ackId = acks.expect(event, timeout, future);
        connection.send(PacketCodec.encodeEvent(namespace.name(), event, ackId, args));
        return future;
    }

    /** Targets every other socket of this namespace (everyone but this one). */
    public Broadcast broadcast() {
        return new Broadcast(namespace, List.of(), List.of(), this);
    }

    /** Targets the sockets in a room, except this one (so a sender does not get its own message back). */
    public Broadcast to(String room) {
        return broadcast().to(room);
    }

    /** Puts this socket into a room; joining twice is harmless. */
    public RealtimeSocket join(String room) {
        Objects.requireNonNull(room, "room");
        if (!room.equals(id) && connected() && rooms.add(room)) {
            namespace.addToRoom(room, this);
            if (!connected() && rooms.remove(room)) {
                namespace.removeFromRoom(room, this);
            }
        }
        return this;
    }

    /** Takes this socket out of a room; leaving a room it is not in is harmless. */
    public RealtimeSocket leave(String room) {
        if (rooms.remove(room)) {
            namespace.removeFromRoom(room, this);
        }
        return this;
    }

    /** The rooms this socket is in, including its own id room. A snapshot. */
    public Set<String> rooms() {
        Set<String> result = new LinkedHashSet<>();
        result.add(id);
        result.addAll(rooms);
        return Collections.unmodifiableSet(result);
    }

    /** True when the socket is in the room (its own id counts). */
    public boolean inRoom(String room) {
        return id.equals(room) || rooms.contains(room);
    }

    /** Disconnects this socket from its namespace: the client gets a DISCONNECT packet and reason "io server disconnect". */
    public void disconnect() {
        if (connected()) {
            connection.send(PacketCodec.encodeEmpty(PacketType.DISCONNECT, namespace.name()));
            close("server namespace disconnect");
        }
    }

    @Override
    public String toString() {
        return "RealtimeSocket[" + id + " on " + namespace.name() + "]";
    }

    // ------------------------------------------------------------------ internals

    private static void checkEventName(String event) {
        Objects.requireNonNull(event, "event");
        if (PacketCodec.reserved(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name and cannot be emitted");
        }
    }

    void markConnected() {
        connected.set(true);
    }

    /** Runs one received event through this socket's handler chain ({@link SocketHandlers}). */
    void dispatch(String event, List<Object> args, long ackId) {
        handlers.dispatch(event, args, acks.reply(ackId));
    }

    EventHandler[] ownHandlers(String event) {
        return handlers.own(event);
    }

    void receiveAck(long ackId, List<Object> args) {
        acks.received(ackId, args);
    }

    /** Disconnects: leaves all rooms, fails pending acks, runs disconnect listeners. Idempotent. */
    void close(String reason) {
        if (!connected.compareAndSet(true, false)) {
            return;
        }
        ConnectionRecovery recovery = connection.server.recovery;
        if (recovery != null) {
            ConcurrentMap<String, Object> d = data;
            recovery.disconnected(namespace.name(), id, pid, reason, Set.copyOf(rooms), d == null ? Map.of() : d);
        }
        for (String room : rooms) {
            namespace.removeFromRoom(room, this);
        }
        rooms.clear();
        namespace.remove(this);
        connection.socketClosed(this);
        acks.failAll(reason);
        handlers.fireDisconnect(reason);
    }
}
