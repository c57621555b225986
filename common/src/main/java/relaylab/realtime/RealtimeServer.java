package relaylab.realtime;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;

import org.xnio.Options;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Socket.IO v5 server (Engine.IO v4 over WebSocket and HTTP long-polling) on Undertow, which can also
 * serve static files. Create it with {@link #create}, add handlers, {@link #start} it, and always
 * {@link #stop} it (it is AutoCloseable). Methods without a namespace act on the default namespace "/".
 *
 * <p>Inside: what answers which HTTP path (the Engine.IO endpoint, the browser client, static files) is {@code ServerRoutes}.
 */
public final class RealtimeServer implements AutoCloseable {
    private static final System.Logger LOG = CoreLog.LOG;
    private static final EventInterceptor[] NO_INTERCEPTORS = new EventInterceptor[0];
    private static final AtomicInteger SCHEDULER_COUNT = new AtomicInteger();

    final RealtimeConfig config;
    final ScheduledThreadPoolExecutor scheduler;
    final SlowReaders slowReaders;
    /** Connection state recovery, or null when it is off (the default). */
    final ConnectionRecovery recovery;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final Map<String, EngineSession> connections = new ConcurrentHashMap<>();
    private final Namespace root;
    private final List<HandlerErrorListener> errorListeners;
    // unfinished TODOs already logged (handler + message): each is logged once per server, not on every call
    private final Set<String> loggedTodos = ConcurrentHashMap.newKeySet();
    private volatile EventInterceptor[] interceptors = NO_INTERCEPTORS;
    private volatile Undertow undertow;
    /** The accept loop's spare file descriptor (see ConnectionCap), given back at stop. */
    private AutoCloseable acceptGuard;
    private volatile Executor executor;
    private volatile int port = -1;
    private volatile boolean stopped;

    private RealtimeServer(RealtimeConfig config) {
        this.config = config;
        this.root = new Namespace("/", this);
        namespaces.put("/", root);
        this.errorListeners = new CopyOnWriteArrayList<>(config.handlerErrorListeners);
        this.recovery = config.recoveryMaxDisconnection == null ? null : new ConnectionRecovery(
                config.recoveryMaxDisconnection.toMillis(), config.recoverySkipMiddlewares, System::currentTimeMillis);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "realtime-timers-" + SCHEDULER_COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.slowReaders = new SlowReaders(config.maxQueuedBytes);
    }

    /** Creates a server (not started yet); configure it in the lambda, e.g. {@code cfg -> cfg.staticFiles("/public")}. */
    public static RealtimeServer create(Consumer<RealtimeConfig> configure) {
        RealtimeConfig config = new RealtimeConfig();
        if (configure != null) {
            configure.accept(config);
        }
        return new RealtimeServer(config);
    }

    /** Creates a server with the default settings. */
    public static RealtimeServer create() {
        return create(null);
    }

    /**
     * Binds the port (0 picks a free one, read it with {@link #port()}) and starts serving.
     * Throws IllegalStateException when the port cannot be bound or the server was already started.
     */
    public synchronized RealtimeServer start(int port) {
        if (undertow != null) {
            throw new IllegalStateException("server already started on port " + this.port);
        }
        if (stopped) {
            throw new IllegalStateException("this server was stopped and cannot start again; create a new one with"
                    + " RealtimeServer.create(...) (it may use the same port)");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Undertow.Builder builder = Undertow.builder();
        if (config.sslContext != null) {
            builder.addHttpsListener(port, config.host, config.sslContext);
        } else {
            builder.addHttpListener(port, config.host);
        }
        Duration idle = config.idleTimeout != null ? config.idleTimeout
                : config.pingInterval.plus(config.pingTimeout).plus(RealtimeConfig.IDLE_MARGIN);
        if (idle.compareTo(config.pingInterval) <= 0) {
            throw new IllegalStateException("idleTimeout " + idle.toMillis() + " ms must be longer than pingInterval "
                    + config.pingInterval.toMillis() + " ms, or every quiet client is cut off between two pings");
        }
        int maxConnections = config.maxConnections >= 0 ? config.maxConnections : ConnectionCap.defaultMax();
        builder.setServerOption(UndertowOptions.MAX_HEADER_SIZE, config.maxHeaderSize)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(config.headersTimeout))
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(idle))
                // closes a connection whose reads wait for data that does not come: a stalled body, a silent WebSocket
                .setSocketOption(Options.READ_TIMEOUT, millis(idle));
        Undertow server = builder
                .setIoThreads(config.ioThreads > 0 ? config.ioThreads : Math.max(2, cores))
                .setWorkerThreads(Math.max(8, cores * 4))
                .setHandler(ServerRoutes.root(this))
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the realtime server on " + config.host + ":" + port
                    + " (" + e.getMessage() + "); is the port in use? Use port 0 for a free one", e);
        }
        try {
            // maxConnections and running out of file descriptors: refused at accept time (see ConnectionCap)
            acceptGuard = ConnectionCap.install(server, maxConnections, config.maxConnections < 0);
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        this.undertow = server;
        this.executor = server.getWorker();
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        LOG.log(System.Logger.Level.DEBUG, () -> "realtime server listening on " + url());
        return this;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    /** The bound port (after {@link #start}); -1 before. */
    public int port() {
        return port;
    }

    /** The base URL, e.g. "http://127.0.0.1:41234" (https with {@code cfg.ssl(...)}), for clients and browsers. */
    public String url() {
        return (config.sslContext != null ? "https://" : "http://") + config.host + ":" + port;
    }

    /**
     * Stops the server: disconnects every socket (reason "server shutting down"), closes every connection,
     * frees the port and stops the timers. Safe to call twice. Called from a handler (one of the server's own
     * threads, which the shutdown has to wait for), it returns at once and the shutdown finishes just after.
     */
    public void stop() {
        Undertow server = undertow;
        if (server != null && Thread.currentThread().getName().startsWith(server.getWorker().getName() + " ")) {
            stopped = true;
            Thread stopper = new Thread(this::stopNow, "realtime-stop-" + port);
            stopper.setDaemon(false);
            stopper.start();
            return;
        }
        stopNow();
    }

    private synchronized void stopNow() {
        stopped = true;
        Undertow server = undertow;
        List<EngineSession> open = List.copyOf(connections.values());
        CountDownLatch drained = new CountDownLatch(open.size());
        for (EngineSession connection : open) {
            connection.close("server shutting down");
            connection.inbox.execute(drained::countDown);
        }
        try {
            // let disconnect listeners run before the worker threads go away
            if (!drained.await(2, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "some handlers were still busy 2 s after stop(); stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (server != null) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "error while stopping Undertow: " + e, e);
            }
            undertow = null;
            try {
                acceptGuard.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "error while closing the accept loop's spare descriptor: " + e, e);
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "realtime server on port " + port + " stopped");
        }
        scheduler.shutdownNow();
        for (Namespace namespace : namespaces.values()) {
            try {
                namespace.adapter().close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "error while closing the adapter of " + namespace + ": " + e, e);
            }
        }
        // the lines logged while stopping reach the log before stop() returns (at most 1 s for a slow handler)
        CoreLog.LOG.awaitIdle(1000);
    }

    /** Same as {@link #stop()}, for try-with-resources. */
    @Override
    public void close() {
        stop();
    }

    /** Returns the namespace with this name (e.g. "/admin"), creating it on first use. */
    public Namespace of(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.startsWith("/")) {
            throw new IllegalArgumentException("a namespace name starts with '/', e.g. \"/admin\"; got \"" + name + "\"");
        }
        return namespaces.computeIfAbsent(name, n -> new Namespace(n, this));
    }

    /** Registers a "connection" listener on the default namespace: called for each new socket. */
    public RealtimeServer on(String event, Consumer<RealtimeSocket> listener) {
        root.on(event, listener);
        return this;
    }

    /** Adds a middleware to the default namespace (see {@link Middleware}). */
    public RealtimeServer use(Middleware middleware) {
        root.use(middleware);
        return this;
    }

    /** Registers annotated handler methods on the default namespace (see {@link Namespace#register}). */
    public RealtimeServer register(Object handlers) {
        root.register(handlers);
        return this;
    }

    /**
     * Adds a listener told whenever a handler of any namespace throws, after the server logged it (see
     * {@link HandlerErrorListener}); for example a lesson's {@link TodoRecorder}. Same as
     * {@link RealtimeConfig#onHandlerError}, for code that gets the server rather than the config.
     */
    public RealtimeServer onHandlerError(HandlerErrorListener listener) {
        errorListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Adds an interceptor that sees every event from every client, on any namespace, before the socket's filters,
     * onAny listeners and handlers (see {@link EventInterceptor}); for cross-cutting tools such as a test fixture.
     */
    public synchronized RealtimeServer intercept(EventInterceptor interceptor) {
        Objects.requireNonNull(interceptor, "interceptor");
        EventInterceptor[] next = java.util.Arrays.copyOf(interceptors, interceptors.length + 1);
        next[interceptors.length] = interceptor;
        interceptors = next;
        return this;
    }

    /** Sends an event to every socket of the default namespace. */
    public void emit(String event, Object... args) {
        root.emit(event, args);
    }

    /** Targets a room of the default namespace (a socket id is a room too). */
    public Broadcast to(String room) {
        return root.to(room);
    }

    /** Targets every socket of the default namespace except those in the room. */
    public Broadcast except(String room) {
        return root.except(room);
    }

    /** The connected sockets of the default namespace (a snapshot). */
    public Collection<RealtimeSocket> sockets() {
        return root.sockets();
    }

    /** The sockets of the default namespace on every server of the cluster (see {@link Namespace#fetchSockets}). */
    public java.util.concurrent.CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return root.fetchSockets();
    }

    /** Sends an event to the other servers of the cluster, default namespace (see {@link Namespace#serverSideEmit}). */
    public void serverSideEmit(String event, Object... args) {
        root.serverSideEmit(event, args);
    }

    /** Sends an event to the other servers and collects their answers (see {@link Namespace#serverSideEmitWithAck}). */
    public java.util.concurrent.CompletableFuture<List<Object>> serverSideEmitWithAck(String event, Object... args) {
        return root.serverSideEmitWithAck(event, args);
    }

    /** How many Engine.IO connections are open (connected or not yet joined a namespace); 0 when all is cleaned up. */
    public int connectionCount() {
        return connections.size();
    }

    /** How many timers (heartbeats, timeouts, pending acks) are scheduled; 0 when all is cleaned up. */
    public int timerCount() {
        return scheduler.getQueue().size();
    }

    @Override
    public String toString() {
        return "RealtimeServer[" + url() + ", " + connections.size() + " connections]";
    }

    // ------------------------------------------------------------------ internals

    Namespace namespace(String name) {
        return namespaces.get(name);
    }

    Collection<EngineSession> connections() {
        return List.copyOf(connections.values());
    }

    EngineSession connection(String sid) {
        return connections.get(sid);
    }

    void addConnection(EngineSession connection) {
        connections.put(connection.sid, connection);
    }

    void removeConnection(EngineSession connection) {
        connections.remove(connection.sid, connection);
    }

    /**
     * Reports a handler that threw: an unfinished exercise TODO as one line (the first time this handler hits
     * it; later times at DEBUG), anything else with its stack trace; then tells the {@link HandlerErrorListener}s.
     * {@code what} names the handler, e.g. "handler for 'chat'".
     */
    void handlerFailed(RealtimeSocket socket, String event, String what, Throwable error, Ack ack) {
        String where = "socket " + socket.id() + " on namespace " + socket.namespace().name();
        if (TodoRecorder.isTodo(error)) {
            String line = what + " is not written yet: " + error.getMessage();
            if (loggedTodos.add(line)) {
                LOG.log(System.Logger.Level.WARNING, line + " (" + where + "; not logged again)");
            } else {
                LOG.log(System.Logger.Level.DEBUG, () -> line + " (" + where + ")");
            }
        } else {
            LOG.log(System.Logger.Level.WARNING, what + " threw: " + error + " (" + where + ")", error);
        }
        for (HandlerErrorListener listener : errorListeners) {
            try {
                listener.onHandlerError(socket, event, error, ack);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "onHandlerError listener " + listener + " threw while reporting that "
                        + what + " threw: " + e, e);
            }
        }
    }

    EventInterceptor[] interceptors() {
        return interceptors;
    }

    Executor executor() {
        Executor e = executor;
        return e != null ? e : Runnable::run;
    }
}
