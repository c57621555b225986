package relaylab.realtime;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import javax.net.ssl.SSLContext;

import java.net.URI;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
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
    private final SerialExecutor events = new SerialExecutor(LISTENERS);
    private final Map<String, List<EventHandler>> listeners = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, List<Object>>> anyListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> pingListeners = new CopyOnWriteArrayList<>();

    // guarded by "this"
    private Transport transport;
    private boolean connected;
    private boolean stopped;
    private String id;
    private String pid;          // the private session id of connection state recovery, when the server offers it
    private String lastOffset;   // the offset of the last event received (its last argument), sent back with pid
    private boolean recovered;
    private int attempts;
    private String closeReason;
    private String lastError;
    private final ArrayDeque<Outbound> buffer = new ArrayDeque<>();
    private final Map<Long, PendingAck> acks = new HashMap<>();
    private long nextAckId;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> attemptTimer;
    private ScheduledFuture<?> reconnectTimer;
    private long heartbeatMillis;

    private record PendingAck(CompletableFuture<List<Object>> future, ScheduledFuture<?> timer) {
    }

    private RealtimeClient(String url, ClientOptions options) {
        this.url = url;
        this.options = options;
        this.uri = engineUri(url, options.path);
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
     * same id, rooms and data on the server, and the events missed meanwhile were received before "connect".
     */
    public synchronized boolean recovered() {
        return recovered;
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
        listeners.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
        return this;
    }

    /** Listens to every event from the server (not connect/disconnect/connect_error); useful for logging and tests. */
    public RealtimeClient onAny(BiConsumer<String, List<Object>> listener) {
        anyListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Called each time a heartbeat ping from the server arrives (the client answers it by itself). */
    public RealtimeClient onPing(Runnable listener) {
        pingListeners.add(Objects.requireNonNull(listener, "listener"));
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
        long ackId;
        synchronized (this) {
            ackId = nextAckId++;
            ScheduledFuture<?> timer = TIMERS.schedule(() -> {
                PendingAck pending;
                synchronized (this) {
                    pending = acks.remove(ackId);
                }
                if (pending != null) {
                    pending.future().completeExceptionally(new TimeoutException("the server did not acknowledge '" + event
                            + "' within " + timeout.toMillis() + " ms"));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            acks.put(ackId, new PendingAck(future, timer));
        }
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
        Transport t;
        boolean wasConnected;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            wasConnected = connected;
            t = transport;
            closeReason = "io client disconnect";
            cancelTimers();
            if (wasConnected) {
                t.send("41" + nspPrefix());
            }
        }
        if (t != null) {
            t.close();
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

    private String nspPrefix() {
        return "/".equals(options.namespace) ? "" : options.namespace + ",";
    }

    private Outbound encode(String event, long ackId, Object[] args) {
        Objects.requireNonNull(event, "event");
        if (RealtimeSocket.RESERVED.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name and cannot be emitted");
        }
        return Packet.encode(Packet.EVENT, options.namespace, ackId, Packet.eventData(event, args));
    }

    private void send(Outbound packet, boolean bufferIfDisconnected) {
        synchronized (this) {
            if (connected) {
                transport.send(packet);
            } else if (bufferIfDisconnected && !stopped) {
                buffer.add(packet);
            } else {
                LOG.log(System.Logger.Level.DEBUG, () -> "client not connected; dropped " + EngineConnection.abbreviate(packet.text));
            }
        }
    }

    private synchronized void open() {
        if (stopped) {
            return;
        }
        reconnectTimer = null;
        closeReason = null;
        Transport t = new Transport(uri);
        transport = t;
        attemptTimer = TIMERS.schedule(() -> attemptTimedOut(t), options.connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
        t.connect();
    }

    private void attemptTimedOut(Transport t) {
        synchronized (this) {
            if (t != transport || connected) {
                return;
            }
            lastError = "timeout";
            closeReason = "connect timeout";
        }
        t.close();
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> f : Arrays.asList(watchdog, attemptTimer, reconnectTimer)) {
            if (f != null) {
                f.cancel(false);
            }
        }
        watchdog = null;
        attemptTimer = null;
        reconnectTimer = null;
    }

    private void armWatchdog(Transport t) {
        synchronized (this) {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (stopped || t != transport) {
                return;
            }
            watchdog = TIMERS.schedule(() -> {
                synchronized (this) {
                    if (t != transport) {
                        return;
                    }
                    closeReason = "ping timeout";
                }
                LOG.log(System.Logger.Level.INFO, "no ping from " + url + " within " + heartbeatMillis + " ms; reconnecting");
                t.close();
            }, heartbeatMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void onText(Transport t, String text) {
        synchronized (this) {
            if (t != transport) {
                return;
            }
        }
        if (text.isEmpty()) {
            return;
        }
        switch (text.charAt(0)) {
            case '0' -> onOpenPacket(t, text.substring(1));
            case '2' -> {
                if (options.answerPings) {
                    t.send("3");
                }
                armWatchdog(t);
                for (Runnable listener : pingListeners) {
                    events.execute(listener);
                }
            }
            case '1' -> {
                synchronized (this) {
                    closeReason = "transport close";
                }
                t.close();
            }
            case '4' -> onSocketIo(t, text.substring(1));
            default -> LOG.log(System.Logger.Level.DEBUG, () -> "client ignored Engine.IO packet " + EngineConnection.abbreviate(text));
        }
    }

    private void onOpenPacket(Transport t, String json) {
        try {
            Map<?, ?> open = RealtimeJson.MAPPER.readValue(json, Map.class);
            long interval = ((Number) open.get("pingInterval")).longValue();
            long timeout = ((Number) open.get("pingTimeout")).longValue();
            synchronized (this) {
                heartbeatMillis = interval + timeout;
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "invalid open packet from " + url + ": " + e.getMessage());
            t.close();
            return;
        }
        armWatchdog(t);
        String auth;
        try {
            Map<String, Object> values = new LinkedHashMap<>();
            synchronized (this) {
                if (pid != null) {   // asks the server to recover the session, as socket.io's client does
                    values.put("pid", pid);
                    if (lastOffset != null) {
                        values.put("offset", lastOffset);
                    }
                }
            }
            Map<String, ?> given = options.auth.get();
            if (given != null) {
                values.putAll(given);
            }
            auth = values.isEmpty() ? "" : RealtimeJson.MAPPER.writeValueAsString(values);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "cannot send the auth object of " + url + ": " + e.getMessage()
                    + "; connecting without it");
            auth = "";
        }
        t.send("40" + nspPrefix() + auth);
    }

    private Packet partial;
    private List<byte[]> partialAttachments;

    private void onSocketIo(Transport t, String text) {
        Packet packet;
        try {
            packet = Packet.decode(text, true);
        } catch (Packet.BadPacketException e) {
            LOG.log(System.Logger.Level.WARNING, "invalid packet from " + url + ": " + e.getMessage());
            return;
        }
        if (!packet.namespace().equals(options.namespace)) {
            return;
        }
        if (packet.attachments() > 0) {
            synchronized (this) {
                partial = packet;
                partialAttachments = new ArrayList<>();
            }
            return;
        }
        handle(t, packet);
    }

    private void onBinary(Transport t, byte[] data) {
        Packet done = null;
        synchronized (this) {
            if (t != transport || partial == null) {
                return;
            }
            partialAttachments.add(data);
            if (partialAttachments.size() == partial.attachments()) {
                try {
                    done = new Packet(partial.type(), partial.namespace(), partial.ackId(),
                            Packet.reconstruct(partial.data(), partialAttachments), 0);
                } catch (Packet.BadPacketException e) {
                    LOG.log(System.Logger.Level.WARNING, "invalid binary packet from " + url + ": " + e.getMessage());
                }
                partial = null;
                partialAttachments = null;
            }
        }
        if (done != null) {
            handle(t, done);
        }
    }

    private void handle(Transport t, Packet packet) {
        switch (packet.type()) {
            case Packet.CONNECT -> {
                Object sid = packet.data() instanceof Map<?, ?> m ? m.get("sid") : null;
                Object newPid = packet.data() instanceof Map<?, ?> m ? m.get("pid") : null;
                List<Outbound> pending;
                synchronized (this) {
                    id = String.valueOf(sid);
                    recovered = newPid != null && newPid.equals(pid);
                    pid = newPid instanceof String p ? p : null;
                    connected = true;
                    attempts = 0;
                    lastError = null;
                    if (attemptTimer != null) {
                        attemptTimer.cancel(false);
                        attemptTimer = null;
                    }
                    pending = new ArrayList<>(buffer);
                    buffer.clear();
                    for (Outbound o : pending) {
                        t.send(o);
                    }
                    notifyAll();
                }
                fire("connect", List.of());
            }
            case Packet.CONNECT_ERROR -> {
                Map<?, ?> body = (Map<?, ?>) packet.data();
                String message = String.valueOf(body.get("message"));
                synchronized (this) {
                    lastError = message;
                    stopped = true;
                    closeReason = "connect_error";
                    cancelTimers();
                    notifyAll();
                }
                List<Object> args = new ArrayList<>();
                args.add(message);
                args.add(body.get("data"));
                fire("connect_error", args);
                t.close();
                failAllAcks("the server refused the connection: " + message);
            }
            case Packet.DISCONNECT -> {
                synchronized (this) {
                    stopped = true;
                    closeReason = "io server disconnect";
                }
                t.close();
            }
            case Packet.EVENT, Packet.BINARY_EVENT -> {
                String event = packet.eventName();
                List<Object> args = packet.arguments();
                synchronized (this) {
                    if (pid != null && !args.isEmpty() && args.get(args.size() - 1) instanceof String offset) {
                        lastOffset = offset;   // with recovery on, the server appends each kept event's offset
                    }
                }
                Ack ack = packet.ackId() < 0 ? Ack.NONE : replyAck(t, packet.ackId());
                fireEvent(event, args, ack);
            }
            case Packet.ACK, Packet.BINARY_ACK -> {
                PendingAck pending;
                synchronized (this) {
                    pending = acks.remove(packet.ackId());
                }
                if (pending != null) {
                    pending.timer().cancel(false);
                    pending.future().complete(packet.arguments());
                }
            }
            default -> LOG.log(System.Logger.Level.DEBUG, () -> "client ignored packet type " + packet.type());
        }
    }

    private Ack replyAck(Transport t, long ackId) {
        AtomicBoolean sent = new AtomicBoolean();
        return args -> {
            if (sent.compareAndSet(false, true)) {
                t.send(Packet.encode(Packet.ACK, options.namespace, ackId, Arrays.asList(args)));
            }
        };
    }

    private void onTransportClosed(Transport t, String detail) {
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
            partial = null;
            partialAttachments = null;
            if (watchdog != null) {
                watchdog.cancel(false);
                watchdog = null;
            }
            if (attemptTimer != null) {
                attemptTimer.cancel(false);
                attemptTimer = null;
            }
            reason = closeReason != null ? closeReason : "transport close";
            if (!wasConnected && lastError == null) {
                lastError = detail;
            }
            reconnect = !stopped && options.reconnection && attempts < options.reconnectionAttempts;
            if (reconnect) {
                delay = options.delayMillis(attempts++, ThreadLocalRandom.current().nextDouble());
                reconnectTimer = TIMERS.schedule(this::open, delay, TimeUnit.MILLISECONDS);
                attemptNumber = attempts;
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
        List<PendingAck> pending;
        synchronized (this) {
            pending = new ArrayList<>(acks.values());
            acks.clear();
            buffer.clear();
        }
        for (PendingAck p : pending) {
            p.timer().cancel(false);
            p.future().completeExceptionally(new IllegalStateException(why));
        }
    }

    private void fire(String event, List<Object> args) {
        fireEvent(event, args, Ack.NONE);
    }

    private void fireEvent(String event, List<Object> args, Ack ack) {
        boolean special = "connect".equals(event) || "disconnect".equals(event) || "connect_error".equals(event)
                || "reconnect_attempt".equals(event);
        events.execute(() -> {
            List<EventHandler> handlers = listeners.get(event);
            List<Object> view = Collections.unmodifiableList(args);
            if (!special) {
                for (BiConsumer<String, List<Object>> any : anyListeners) {
                    try {
                        any.accept(event, view);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "onAny listener threw for event '" + event + "': " + e, e);
                    }
                }
            }
            if (handlers == null) {
                return;
            }
            for (EventHandler handler : handlers) {
                try {
                    handler.handle(view, ack);
                } catch (Exception | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "client listener for event '" + event + "' threw: " + e, e);
                }
            }
        });
    }

    /** One WebSocket connection attempt. */
    private final class Transport extends WebSocketClient {
        Transport(URI uri) {
            super(uri);
            setConnectionLostTimeout(0);
            setDaemon(true);
            if ("wss".equals(uri.getScheme())) {
                try {
                    SSLContext context = options.sslContext != null ? options.sslContext
                            : SSLContext.getDefault();
                    setSocketFactory(context.getSocketFactory());
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("no default SSLContext for " + uri + "; pass one with o.sslContext(...)", e);
                }
            }
        }

        void send(Outbound packet) {
            if (!isOpen()) {
                return;
            }
            try {
                super.send(packet.text);
                if (packet.attachments != null) {
                    for (byte[] a : packet.attachments) {
                        super.send(a);
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "client send failed: " + e);
            }
        }

        @Override
        public void send(String text) {
            if (!isOpen()) {
                return;
            }
            try {
                super.send(text);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "client send failed: " + e);
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            // the server speaks first (open packet)
        }

        @Override
        public void onMessage(String message) {
            onText(this, message);
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            byte[] data = new byte[bytes.remaining()];
            bytes.get(data);
            onBinary(this, data);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            onTransportClosed(this, "connection closed (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
        }

        @Override
        public void onError(Exception ex) {
            synchronized (RealtimeClient.this) {
                if (this == transport && !connected) {
                    lastError = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
                }
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "client WebSocket error: " + ex);
        }
    }
}
