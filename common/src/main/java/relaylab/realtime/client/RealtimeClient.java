package relaylab.realtime.client;

import relaylab.realtime.Ack;
import relaylab.realtime.EventHandler;
import relaylab.realtime.EventListener;
import relaylab.realtime.protocol.Packet;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A Socket.IO v5 client over WebSocket (Java-WebSocket), for tests, tools and Java peers. It connects in
 * the background, answers pings, buffers {@link #emit}s while disconnected and reconnects with
 * exponential backoff plus jitter, except after {@link #disconnect()} or a server-side disconnect.
 * Listeners run on a worker thread, one at a time per client, in arrival order.
 *
 * <p>Inside: this class is the API and the events; {@code ClientManager} holds the connection (joining the namespace,
 * each attempt a {@code ClientTransport}, when to try again decided by {@code Reconnection}); {@code ClientOutbox} what
 * is sent (emits kept while disconnected, the acks awaited and given).
 */
public final class RealtimeClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("relaylab.realtime");
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "realtime-client-timers"));
    private static final ExecutorService LISTENERS = Executors.newCachedThreadPool(r -> daemon(r, "realtime-client-listener-" + THREADS.incrementAndGet()));

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private final String url;
    private final ClientOptions options;
    private final ClientListeners listeners = new ClientListeners(LISTENERS);
    private final ClientRecovery recovery = new ClientRecovery();
    private final ClientOutbox outbox;
    private final ClientManager manager;

    private RealtimeClient(String url, ClientOptions options) {
        this.url = url;
        this.options = options;
        this.outbox = new ClientOutbox(options.namespace, TIMERS);
        this.manager = new ClientManager(engineUri(url, options.path), url, options, TIMERS, listeners, outbox, recovery,
                this::onEvent);
    }

    /** Connects to the default namespace of {@code url} (e.g. "http://127.0.0.1:8080") without auth. Returns at once. */
    public static RealtimeClient connect(String url) {
        return connect(url, o -> { });
    }

    /** Connects with an auth object (read on the server with {@code socket.handshake().auth()}). Returns at once. */
    public static RealtimeClient connect(String url, Map<String, ?> auth) {
        return connect(url, o -> o.auth(auth));
    }

    /**
     * Connects with options, e.g. {@code o -> o.namespace("/admin").reconnectionDelay(Duration.ofMillis(50))}.
     * Returns at once; register listeners right away, then use {@link #awaitConnected} if you must wait.
     */
    public static RealtimeClient connect(String url, Consumer<ClientOptions> configure) {
        ClientOptions options = new ClientOptions();
        configure.accept(options);
        RealtimeClient client = new RealtimeClient(url, options);
        client.manager.open();
        return client;
    }

    private static URI engineUri(String url, String path) {
        Objects.requireNonNull(url, "url");
        String base = url.replaceFirst("^http", "ws");
        if (!base.startsWith("ws://") && !base.startsWith("wss://")) {
            throw new IllegalArgumentException("the server URL must start with http://, https://, ws:// or wss://, got \"" + url + "\"");
        }
        base = base.replaceAll("/+$", "");
        String p = path.startsWith("/") ? path : "/" + path;
        return URI.create(base + p + (p.endsWith("/") ? "" : "/") + "?EIO=4&transport=websocket");
    }

    // ------------------------------------------------------------------ public API

    /** The socket id given by the server, or null while not connected. */
    public String id() {
        return manager.id();
    }

    /**
     * True when the last (re)connection recovered the previous session (server with connection state recovery):
     * same id, rooms and data on the server, and the events missed meanwhile arrived right after "connect".
     */
    public boolean recovered() {
        return recovery.recovered();
    }

    /** True while connected to the namespace. */
    public boolean connected() {
        return manager.connected();
    }

    /**
     * True while connected or trying to (re)connect; false for good after {@link #disconnect()}, a server-side
     * disconnect, a refusal (connect_error from a middleware or an unknown namespace) or when attempts ran out.
     */
    public boolean active() {
        return manager.active();
    }

    /** The namespace this client joins. */
    public String namespace() {
        return options.namespace;
    }

    /**
     * Listens to an event from the server. Special names: "connect" (no args), "disconnect" (args: reason),
     * "connect_error" (args: message, data), "reconnect_attempt" (args: attempt number from 1, delay in ms,
     * fired when the attempt is scheduled).
     */
    public RealtimeClient on(String event, EventListener listener) {
        Objects.requireNonNull(listener, "listener");
        return on(event, (args, ack) -> listener.onEvent(args));
    }

    /** Listens to an event from the server and may reply when the server used emitWithAck. */
    public RealtimeClient on(String event, EventHandler handler) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handler, "handler");
        listeners.on(event, handler);
        return this;
    }

    /** Listens to every event from the server (not connect/disconnect/connect_error); useful for logging and tests. */
    public RealtimeClient onAny(BiConsumer<String, List<Object>> listener) {
        listeners.onAny(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Called each time a heartbeat ping from the server arrives (the client answers it by itself). */
    public RealtimeClient onPing(Runnable listener) {
        listeners.onPing(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Called each time the client (re)connects to its namespace. */
    public RealtimeClient onConnect(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        return on("connect", args -> listener.run());
    }

    /** Called with the reason each time the client loses its connection ("io server disconnect", "transport close", ...). */
    public RealtimeClient onDisconnect(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
        return on("disconnect", args -> listener.accept((String) args.get(0)));
    }

    /** Called with the error message when a connection attempt fails or a middleware refuses it. */
    public RealtimeClient onConnectError(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
        return on("connect_error", args -> listener.accept((String) args.get(0)));
    }

    /** Sends an event; while disconnected it is buffered and sent after the next (re)connection. */
    public RealtimeClient emit(String event, Object... args) {
        manager.send(outbox.event(event, -1, args), true);
        return this;
    }

    /** Sends an event only if connected right now; dropped otherwise (e.g. positions that are soon stale). */
    public RealtimeClient volatileEmit(String event, Object... args) {
        manager.send(outbox.event(event, -1, args), false);
        return this;
    }

    /**
     * Sends an event and waits for the server's acknowledgement: the future completes with the ack
     * arguments, or fails with a {@link TimeoutException} after {@code timeout}. Buffered while disconnected.
     */
    public CompletableFuture<List<Object>> emitWithAck(String event, Duration timeout, Object... args) {
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<List<Object>> future = new CompletableFuture<>();
        long ackId = outbox.expectAck(event, timeout, future);
        manager.send(outbox.event(event, ackId, args), true);
        return future;
    }

    /**
     * Waits until connected; throws IllegalStateException (with the last connection error) if not connected
     * within {@code timeout}, or at once when the client stops trying: a middleware or an unknown namespace refused it
     * (the message says so and carries the reason), {@link #disconnect()}, or no reconnection left.
     * Returns this client for chaining.
     */
    public RealtimeClient awaitConnected(Duration timeout) {
        manager.awaitConnected(Objects.requireNonNull(timeout, "timeout"));
        return this;
    }

    /** Disconnects on purpose: sends DISCONNECT, closes the connection, and never reconnects. Safe to call twice. */
    public void disconnect() {
        manager.disconnect();
    }

    /** Same as {@link #disconnect()}, for try-with-resources. */
    @Override
    public void close() {
        disconnect();
    }

    @Override
    public String toString() {
        return "RealtimeClient[" + url + options.namespace + (connected() ? " connected as " + id() : " not connected") + "]";
    }

    /** An EVENT or ACK from the server (the manager handles CONNECT, CONNECT_ERROR and DISCONNECT). */
    private void onEvent(ClientTransport t, Packet packet) {
        switch (packet.type()) {
            case EVENT, BINARY_EVENT -> {
                List<Object> args = packet.arguments();
                recovery.received(args);
                Ack ack = packet.ackId() < 0 ? Ack.NONE : outbox.reply(t, packet.ackId());
                listeners.fire(packet.eventName(), args, ack);
            }
            case ACK, BINARY_ACK -> outbox.acknowledged(packet.ackId(), packet.arguments());
            default -> LOG.log(System.Logger.Level.DEBUG, () -> "client ignored packet type " + packet.type().digit());
        }
    }
}
