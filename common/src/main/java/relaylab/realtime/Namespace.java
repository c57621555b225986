package relaylab.realtime;

import relaylab.realtime.protocol.PacketCodec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A channel of the server with its own sockets, rooms, middlewares and handlers, e.g. "/" (the default)
 * or "/admin". Get one with {@link RealtimeServer#of(String)}; clients name it when they connect.
 */
public final class Namespace {
    private final String name;
    private final RealtimeServer server;
    final Map<String, RealtimeSocket> sockets = new ConcurrentHashMap<>();
    private final Map<String, Set<RealtimeSocket>> rooms = new ConcurrentHashMap<>();
    private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<RealtimeSocket>> connectListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<RealtimeSocket, String>> disconnectListeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, List<HandlerBinder.Bound>> boundHandlers = Map.of();
    private final Map<String, List<EventHandler>> serverSideHandlers = new ConcurrentHashMap<>();
    private final Adapter adapter;

    Namespace(String name, RealtimeServer server) {
        this.name = name;
        this.server = server;
        this.adapter = Objects.requireNonNull(server.config.adapterFactory.apply(this),
                "the adapter factory given to RealtimeConfig.adapter returned null for namespace " + name);
    }

    /** The adapter every broadcast of this namespace goes through (see {@link RealtimeConfig#adapter}). */
    public Adapter adapter() {
        return adapter;
    }

    /** The namespace name, e.g. "/" or "/admin". */
    public String name() {
        return name;
    }

    /** The server this namespace belongs to. */
    public RealtimeServer server() {
        return server;
    }

    /** Adds a middleware that runs for each connection attempt, in the order added (see {@link Middleware}). */
    public Namespace use(Middleware middleware) {
        middlewares.add(Objects.requireNonNull(middleware, "middleware"));
        return this;
    }

    /**
     * Registers a listener for "connection" (alias "connect"): called for each socket right after it
     * connected, the place to call {@code socket.on(...)}, {@code join(...)} and send a welcome.
     */
    public Namespace on(String event, Consumer<RealtimeSocket> listener) {
        Objects.requireNonNull(listener, "listener");
        if (!"connection".equals(event) && !"connect".equals(event)) {
            throw new IllegalArgumentException("a namespace only has the \"connection\" event, not \"" + event
                    + "\"; register client events on the socket inside on(\"connection\", socket -> socket.on(\"" + event + "\", ...))");
        }
        connectListeners.add(listener);
        return this;
    }

    /**
     * Registers the {@link OnConnect}, {@link OnEvent} and {@link OnDisconnect} methods of {@code handlers}
     * for every socket of this namespace, and its {@link OnServerSideEmit} methods for the other servers' emits. Throws IllegalArgumentException naming {@code Class.method} and the
     * parameter when a method signature cannot be bound, or when the object has no annotated method.
     */
    public Namespace register(Object handlers) {
        List<HandlerBinder.Bound> bound = HandlerBinder.bind(handlers);
        synchronized (this) {
            Map<String, List<HandlerBinder.Bound>> copy = new HashMap<>(boundHandlers);
            for (HandlerBinder.Bound b : bound) {
                switch (b.kind()) {
                    case CONNECT -> connectListeners.add(socket -> b.invoke(socket, List.of(), Ack.NONE, null, "connection"));
                    case DISCONNECT -> disconnectListeners.add((socket, reason) -> b.invoke(socket, List.of(), Ack.NONE, reason, "disconnect"));
                    case EVENT -> {
                        List<HandlerBinder.Bound> list = new ArrayList<>(copy.getOrDefault(b.event(), List.of()));
                        list.add(b);
                        copy.put(b.event(), List.copyOf(list));
                    }
                    case SERVER_SIDE_EMIT -> serverSideHandlers.computeIfAbsent(b.event(), e -> new CopyOnWriteArrayList<>())
                            .add((args, ack) -> b.invoke(null, args, ack, null, b.event()));
                }
            }
            boundHandlers = Map.copyOf(copy);
        }
        return this;
    }

    /** Sends an event to every socket of this namespace. */
    public void emit(String event, Object... args) {
        new Broadcast(this, List.of(), List.of(), null).emit(event, args);
    }

    /** Targets the sockets in a room (chain {@code .to(...)} for more rooms, {@code .except(...)} to exclude). */
    public Broadcast to(String room) {
        return new Broadcast(this, List.of(), List.of(), null).to(room);
    }

    /** Targets every socket of this namespace except those in the room. */
    public Broadcast except(String room) {
        return new Broadcast(this, List.of(), List.of(), null).except(room);
    }

    /**
     * The sockets of this namespace on every server of the cluster (see {@link Broadcast#fetchSockets}); with the
     * default adapter, this server's. Use {@code to(room).fetchSockets()} for the members of a room.
     */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return new Broadcast(this, List.of(), List.of(), null).fetchSockets();
    }

    /**
     * Sends an event to the other servers of the cluster (not to clients, not to this server): their
     * {@link #onServerSideEmit} handlers and {@link OnServerSideEmit} methods for {@code event} run. Nothing
     * happens with the default adapter (no other server). Arguments travel as JSON.
     */
    public void serverSideEmit(String event, Object... args) {
        checkServerSideEvent(event);
        adapter.serverSideEmit(event, args);
    }

    /**
     * Like {@link #serverSideEmit}, and completes with the first argument each other server's handler sent back
     * through its {@link Ack}, one per server. Fails with a {@link java.util.concurrent.TimeoutException} naming how
     * many answered when a server does not answer within the adapter's timeout (a server without a handler for the
     * event never answers). Completes at once with an empty list when there is no other server.
     */
    public CompletableFuture<List<Object>> serverSideEmitWithAck(String event, Object... args) {
        checkServerSideEvent(event);
        return adapter.serverSideEmitWithAck(event, args);
    }

    /**
     * Registers a handler for an event another server of the cluster sent with {@link #serverSideEmit} (or
     * socket.io's {@code io.serverSideEmit}); called on a worker thread. {@code ack.send(x)} answers a
     * {@code serverSideEmitWithAck}: only its first argument travels back, as in socket.io.
     */
    public Namespace onServerSideEmit(String event, EventHandler handler) {
        checkServerSideEvent(event);
        Objects.requireNonNull(handler, "handler");
        serverSideHandlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
        return this;
    }

    private static void checkServerSideEvent(String event) {
        PacketCodec.checkEmittable(event);
        if (event.equals("connection") || event.equals("new_namespace")) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name and cannot be a server-side emit");
        }
    }

    /** A snapshot of the connected sockets of this namespace. */
    public Collection<RealtimeSocket> sockets() {
        return List.copyOf(sockets.values());
    }

    /** The connected socket with this id, or null. */
    public RealtimeSocket socket(String id) {
        return sockets.get(id);
    }

    /** The names of the rooms that currently have members (own-id rooms not included). A snapshot. */
    public Set<String> rooms() {
        return Set.copyOf(rooms.keySet());
    }

    @Override
    public String toString() {
        return "Namespace[" + name + "]";
    }

    // ------------------------------------------------------------------ internals

    /** Members of a room: a real room, or the single socket whose id is the room name. */
    Collection<RealtimeSocket> members(String room) {
        Set<RealtimeSocket> set = rooms.get(room);
        if (set != null) {
            return set;
        }
        RealtimeSocket own = sockets.get(room);
        return own == null ? List.of() : List.of(own);
    }

    void addToRoom(String room, RealtimeSocket socket) {
        // add inside compute: a concurrent removeFromRoom may drop the set when it becomes empty
        rooms.compute(room, (r, set) -> {
            Set<RealtimeSocket> members = set != null ? set : ConcurrentHashMap.newKeySet();
            members.add(socket);
            return members;
        });
    }

    void removeFromRoom(String room, RealtimeSocket socket) {
        rooms.computeIfPresent(room, (r, set) -> {
            set.remove(socket);
            return set.isEmpty() ? null : set;
        });
    }

    void remove(RealtimeSocket socket) {
        sockets.remove(socket.id(), socket);
    }

    int roomCount() {
        return rooms.size();
    }

    /** Runs the middlewares one after the other, then {@code done} with null (accepted) or the refusal. */
    void runMiddlewares(RealtimeSocket socket, Consumer<Refusal> done) {
        runMiddleware(0, socket, done);
    }

    record Refusal(String message, Object data) {
    }

    private void runMiddleware(int index, RealtimeSocket socket, Consumer<Refusal> done) {
        if (index >= middlewares.size()) {
            done.accept(null);
            return;
        }
        Middleware middleware = middlewares.get(index);
        AtomicBoolean called = new AtomicBoolean();
        Middleware.Next next = new Middleware.Next() {
            @Override
            public void ok() {
                if (called.compareAndSet(false, true)) {
                    runMiddleware(index + 1, socket, done);
                }
            }

            @Override
            public void fail(String message) {
                fail(message, null);
            }

            @Override
            public void fail(String message, Object data) {
                if (called.compareAndSet(false, true)) {
                    done.accept(new Refusal(message == null ? "refused" : message, data));
                }
            }
        };
        try {
            middleware.handle(socket, next);
        } catch (Exception e) {
            server.handlerFailed(socket, "connection", "middleware " + middleware.getClass().getName()
                    + " (connection refused)", e, Ack.NONE);
            next.fail("middleware error");
        }
    }

    void add(RealtimeSocket socket) {
        sockets.put(socket.id(), socket);
    }

    void fireConnect(RealtimeSocket socket) {
        for (Consumer<RealtimeSocket> listener : connectListeners) {
            try {
                listener.accept(socket);
            } catch (RuntimeException | Error e) {
                server.handlerFailed(socket, "connection", "connection handler", e, Ack.NONE);
            }
        }
    }

    void fireDisconnect(RealtimeSocket socket, String reason) {
        for (BiConsumer<RealtimeSocket, String> listener : disconnectListeners) {
            try {
                listener.accept(socket, reason);
            } catch (RuntimeException | Error e) {
                server.handlerFailed(socket, "disconnect", "disconnect handler", e, Ack.NONE);
            }
        }
    }

    /** Runs the handlers for a server-side emit of another server (see {@link Adapter#receiveServerSideEmit}). */
    void dispatchServerSideEmit(String event, List<Object> args, Ack ack) {
        List<EventHandler> handlers = serverSideHandlers.get(event);
        if (handlers == null) {
            CoreLog.LOG.log(System.Logger.Level.DEBUG, () -> "no handler for the server-side emit '" + event + "' on " + name);
            return;
        }
        List<Object> view = Collections.unmodifiableList(args);
        for (EventHandler handler : handlers) {
            try {
                handler.handle(view, ack);
            } catch (Exception | Error e) {
                CoreLog.LOG.log(System.Logger.Level.WARNING, "handler for the server-side emit '" + event + "' on " + name
                        + " threw: " + e, e);
            }
        }
    }

    /** Calls the socket's own handlers then the registered ones; false when there were none. */
    boolean dispatch(RealtimeSocket socket, String event, List<Object> args, Ack ack, EventHandler[] own) {
        List<HandlerBinder.Bound> bound = boundHandlers.get(event);
        boolean any = false;
        if (own != null) {
            any = true;
            List<Object> view = Collections.unmodifiableList(args);
            for (EventHandler handler : own) {
                try {
                    handler.handle(view, ack);
                } catch (Exception | Error e) {
                    server.handlerFailed(socket, event, "handler for '" + event + "'", e, ack);
                }
            }
        }
        if (bound != null) {
            any = true;
            for (HandlerBinder.Bound b : bound) {
                b.invoke(socket, args, ack, null, event);
            }
        }
        return any;
    }
}
