package relaylab.realtime.client;

import relaylab.realtime.Ack;
import relaylab.realtime.EventHandler;
import relaylab.realtime.EventListener;
import relaylab.realtime.protocol.BadPacketException;
import relaylab.realtime.protocol.BinaryAssembler;
import relaylab.realtime.protocol.EnginePacketType;
import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.Packet;
import relaylab.realtime.protocol.PacketCodec;
import relaylab.realtime.protocol.PacketType;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A Socket.IO v5 client over WebSocket (Java-WebSocket), for tests, tools and Java peers. It connects in
 * the background, answers pings, buffers {@link #emit}s while disconnected and reconnects with
 * exponential backoff plus jitter, except after {@link #disconnect()} or a server-side disconnect.
 * Listeners run on a worker thread, one at a time per client, in arrival order.
 *
 * <p>Inside: this class is the API and the Socket.IO side (namespace, events, acks); each connection attempt is a
 * {@code ClientTransport}; when to try again is decided by {@code Reconnection}.
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

    private final URI uri;
    private final String url;
    private final ClientOptions options;
    private final ClientListeners listeners = new ClientListeners(LISTENERS);
    private final ClientAcks acks = new ClientAcks(TIMERS);

    // guarded by "this"
    private ClientTransport transport;
    private boolean connected;
    private boolean stopped;
    private String id;
    private final Reconnection reconnection;
    private final ClientRecovery recovery = new ClientRecovery();
    private final BinaryAssembler assembler = new BinaryAssembler();
    // why the client itself ended the connection ("io client disconnect", "io server disconnect", "connect_error")
    private String closeReason;
    private String lastError;
    private final ArrayDeque<Outbound> buffer = new ArrayDeque<>();

    private RealtimeClient(String url, ClientOptions options) {
        this.url = url;
        this.options = options;
        this.uri = engineUri(url, options.path);
        this.reconnection = new Reconnection(options);
    }

    /** What this client's transports report, kept off the public API. */
    private final ClientTransport.Listener wire = new ClientTransport.Listener() {
        @Override
        public void onOpen(ClientTransport t) {
            if (current(t)) {
                sendConnect(t);
            }
        }

        @Override
        public void onMessage(ClientTransport t, String text) {
            if (current(t)) {
                onSocketIo(t, text);
            }
        }

        @Override
        public void onBinary(ClientTransport t, byte[] data) {
            RealtimeClient.this.onBinary(t, data);
        }

        @Override
        public void onPing(ClientTransport t) {
            if (current(t)) {
                listeners.firePing();
            }
        }

        @Override
        public void onClosed(ClientTransport t, String reason, String detail) {
            RealtimeClient.this.onClosed(t, reason, detail);
        }

        @Override
        public void onError(ClientTransport t, Exception ex) {
            synchronized (RealtimeClient.this) {
                if (t == transport && !connected) {
                    lastError = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
                }
            }
        }
    };

    private synchronized boolean current(ClientTransport t) {
        return t == transport;
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
        client.open();
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
    public synchronized String id() {
        return connected ? id : null;
    }

    /**
     * True when the last (re)connection recovered the previous session (server with connection state recovery):
     * same id, rooms and data on the server, and the events missed meanwhile arrived right after "connect".
     */
    public boolean recovered() {
        return recovery.recovered();
    }

    /** True while connected to the namespace. */
    public synchronized boolean connected() {
        return connected;
    }

    /**
     * True while connected or trying to (re)connect; false for good after {@link #disconnect()}, a server-side
     * disconnect, a refusal (connect_error from a middleware or an unknown namespace) or when attempts ran out.
     */
    public synchronized boolean active() {
        return !stopped;
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
        send(encode(event, -1, args), true);
        return this;
    }

    /** Sends an event only if connected right now; dropped otherwise (e.g. positions that are soon stale). */
    public RealtimeClient volatileEmit(String event, Object... args) {
        send(encode(event, -1, args), false);
        return this;
    }

    /**
     * Sends an event and waits for the server's acknowledgement: the future completes with the ack
     * arguments, or fails with a {@link TimeoutException} after {@code timeout}. Buffered while disconnected.
     */
    public CompletableFuture<List<Object>> emitWithAck(String event, Duration timeout, Object... args) {
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<List<Object>> future = new CompletableFuture<>();
        long ackId = acks.expect(event, timeout, future);
        send(encode(event, ackId, args), true);
        return future;
    }

    /**
     * Waits until connected; throws IllegalStateException (with the last connection error) if not connected
     * within {@code timeout}. Returns this client for chaining.
     */
    public RealtimeClient awaitConnected(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!connected) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopped) {
                    throw new IllegalStateException("not connected to " + url + " (namespace " + options.namespace + ") within "
                            + timeout.toMillis() + " ms" + (lastError == null ? "" : "; last error: " + lastError));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the connection", e);
                }
            }
        }
        return this;
    }

    /** Disconnects on purpose: sends DISCONNECT, closes the connection, and never reconnects. Safe to call twice. */
    public void disconnect() {
        ClientTransport t;
        boolean wasConnected;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            wasConnected = connected;
            t = transport;
            closeReason = "io client disconnect";
            reconnection.cancel();
            if (wasConnected) {
                t.send(PacketCodec.encodeEmpty(PacketType.DISCONNECT, options.namespace));
            }
        }
        if (t != null) {
            t.shutdown();
        }
        if (!wasConnected) {
            failAllAcks("the client disconnected");
        }
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

    // ------------------------------------------------------------------ connection management

    private Outbound encode(String event, long ackId, Object[] args) {
        PacketCodec.checkEmittable(event);
        return PacketCodec.encodeEvent(options.namespace, event, ackId, args);
    }

    private void send(Outbound packet, boolean bufferIfDisconnected) {
        synchronized (this) {
            if (connected) {
                transport.send(packet);
            } else if (bufferIfDisconnected && !stopped) {
                buffer.add(packet);
            } else {
                LOG.log(System.Logger.Level.DEBUG, () -> "client not connected; dropped " + PacketCodec.abbreviate(packet.text()));
            }
        }
    }

    private synchronized void open() {
        if (stopped) {
            return;
        }
        reconnection.started();
        closeReason = null;
        ClientTransport t = new ClientTransport(uri, options, TIMERS, url, wire);
        transport = t;
        t.start(options.connectTimeout);
    }

    /** The Engine.IO session is open: joins the namespace with the auth object (computed anew for each attempt). */
    private void sendConnect(ClientTransport t) {
        String auth;
        try {
            Map<String, ?> values = recovery.auth(options.auth.get());   // with {pid, offset} once the server gave a pid
            auth = values.isEmpty() ? "" : PacketCodec.MAPPER.writeValueAsString(values);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "cannot send the auth object of " + url + ": " + e.getMessage()
                    + "; connecting without it");
            auth = "";
        }
        t.send("" + EnginePacketType.MESSAGE.digit() + PacketType.CONNECT.digit() + PacketCodec.namespacePrefix(options.namespace)
                + auth);
    }

    private void onSocketIo(ClientTransport t, String text) {
        Packet packet;
        try {
            packet = PacketCodec.decode(text, true);
        } catch (BadPacketException e) {
            LOG.log(System.Logger.Level.WARNING, "invalid packet from " + url + ": " + e.getMessage());
            return;
        }
        if (!packet.namespace().equals(options.namespace)) {
            return;
        }
        Packet complete;
        synchronized (this) {
            try {
                complete = assembler.packet(packet);
            } catch (BadPacketException e) {
                LOG.log(System.Logger.Level.WARNING, "invalid packet from " + url + ": " + e.getMessage());
                return;
            }
        }
        if (complete != null) {
            handle(t, complete);
        }
    }

    private void onBinary(ClientTransport t, byte[] data) {
        Packet done;
        synchronized (this) {
            if (t != transport) {
                return;
            }
            try {
                done = assembler.attachment(data);
            } catch (BadPacketException e) {
                LOG.log(System.Logger.Level.WARNING, "invalid binary packet from " + url + ": " + e.getMessage());
                return;
            }
        }
        if (done != null) {
            handle(t, done);
        }
    }

    private void handle(ClientTransport t, Packet packet) {
        switch (packet.type()) {
            case CONNECT -> {
                Object sid = packet.data() instanceof Map<?, ?> m ? m.get("sid") : null;
                recovery.connected(packet.data());
                List<Outbound> pending;
                synchronized (this) {
                    id = String.valueOf(sid);
                    connected = true;
                    reconnection.reset();
                    lastError = null;
                    t.joined();
                    pending = new ArrayList<>(buffer);
                    buffer.clear();
                    for (Outbound o : pending) {
                        t.send(o);
                    }
                    notifyAll();
                }
                fire("connect", List.of());
            }
            case CONNECT_ERROR -> {
                Map<?, ?> body = (Map<?, ?>) packet.data();
                String message = String.valueOf(body.get("message"));
                synchronized (this) {
                    lastError = message;
                    stopped = true;
                    closeReason = "connect_error";
                    reconnection.cancel();
                    notifyAll();
                }
                List<Object> args = new ArrayList<>();
                args.add(message);
                args.add(body.get("data"));
                fire("connect_error", args);
                t.close();
                failAllAcks("the server refused the connection: " + message);
            }
            case DISCONNECT -> {
                synchronized (this) {
                    stopped = true;
                    closeReason = "io server disconnect";
                }
                t.close();
            }
            case EVENT, BINARY_EVENT -> {
                String event = packet.eventName();
                List<Object> args = packet.arguments();
                recovery.received(args);
                Ack ack = packet.ackId() < 0 ? Ack.NONE : replyAck(t, packet.ackId());
                fireEvent(event, args, ack);
            }
            case ACK, BINARY_ACK -> {
                acks.complete(packet.ackId(), packet.arguments());
            }
            default -> LOG.log(System.Logger.Level.DEBUG, () -> "client ignored packet type " + packet.type().digit());
        }
    }

    private Ack replyAck(ClientTransport t, long ackId) {
        AtomicBoolean sent = new AtomicBoolean();
        return args -> {
            if (sent.compareAndSet(false, true)) {
                t.send(PacketCodec.encode(PacketType.ACK, options.namespace, ackId, Arrays.asList(args)));
            }
        };
    }

    private void onClosed(ClientTransport t, String transportReason, String detail) {
        boolean wasConnected;
        String reason;
        boolean reconnect;
        long delay = 0;
        int attemptNumber = 0;
        synchronized (this) {
            if (t != transport) {
                return;
            }
            transport = null;
            wasConnected = connected;
            connected = false;
            assembler.reset();
            reason = closeReason != null ? closeReason : transportReason != null ? transportReason : "transport close";
            if ("connect timeout".equals(reason)) {
                lastError = "timeout";
            } else if (!wasConnected && lastError == null) {
                lastError = detail;
            }
            reconnect = !stopped && reconnection.mayRetry();
            if (reconnect) {
                delay = reconnection.schedule(TIMERS, this::open);
                attemptNumber = reconnection.attempts();
            } else if (!stopped) {
                stopped = true;
            }
            notifyAll();
        }
        if (wasConnected) {
            fire("disconnect", List.of(reason));
        } else if (!"connect_error".equals(reason) && !"io client disconnect".equals(reason)) {
            List<Object> args = new ArrayList<>();
            args.add(lastError == null ? "connection failed" : lastError);
            args.add(null);
            fire("connect_error", args);
        }
        if (reconnect) {
            long d = delay;
            LOG.log(System.Logger.Level.DEBUG, () -> "client of " + url + " reconnects in " + d + " ms");
            fire("reconnect_attempt", List.of(attemptNumber, delay));
        } else if (!wasConnected || stopped) {
            failAllAcksIfStopped();
        }
    }

    private void failAllAcksIfStopped() {
        boolean s;
        synchronized (this) {
            s = stopped;
        }
        if (s) {
            failAllAcks("the client is disconnected for good");
        }
    }

    private void failAllAcks(String why) {
        synchronized (this) {
            buffer.clear();
        }
        acks.failAll(why);
    }

    private void fire(String event, List<Object> args) {
        listeners.fire(event, args);
    }

    private void fireEvent(String event, List<Object> args, Ack ack) {
        listeners.fire(event, args, ack);
    }
}
