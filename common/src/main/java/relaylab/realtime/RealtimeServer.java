package relaylab.realtime;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.server.handlers.resource.ResourceManager;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;

import org.xnio.Options;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.ByteBuffer;
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
 */
public final class RealtimeServer implements AutoCloseable {
    private static final System.Logger LOG = CoreLog.LOG;
    private static final EventInterceptor[] NO_INTERCEPTORS = new EventInterceptor[0];
    private static final String CLIENT_SCRIPT = "relaylab/realtime/socket.io.js";
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
                .setHandler(rootHandler())
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the realtime server on " + config.host + ":" + port
                    + " (" + e.getMessage() + "); is the port in use? Use port 0 for a free one", e);
        }
        try {
            // maxConnections and running out of file descriptors: refused at accept time (see ConnectionCap)
            ConnectionCap.install(server, maxConnections, config.maxConnections < 0);
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

    private HttpHandler rootHandler() {
        EngineHandler engine = new EngineHandler(this);
        HttpHandler socketIo = exchange -> {
            String rest = exchange.getRelativePath();
            if (rest.isEmpty() || rest.equals("/")) {
                engine.handleRequest(exchange);
            } else if (rest.equals("/socket.io.js")) {
                serveClientScript(exchange);
            } else {
                exchange.setStatusCode(StatusCodes.NOT_FOUND);
                exchange.endExchange();
            }
        };
        PathHandler paths = new PathHandler(staticHandler());
        paths.addPrefixPath("/socket.io", socketIo);
        return paths;
    }

    private HttpHandler staticHandler() {
        ResourceManager manager = null;
        if (config.staticDir != null) {
            if (!java.nio.file.Files.isDirectory(config.staticDir)) {
                LOG.log(System.Logger.Level.WARNING, "static directory " + config.staticDir.toAbsolutePath()
                        + " does not exist; every page will be 404");
            }
            manager = new PathResourceManager(config.staticDir);
        } else if (config.staticClasspath != null) {
            ClassLoader loader = config.staticLoader;
            String prefix = config.staticClasspath.replaceAll("^/+|/+$", "");
            if (!prefix.isEmpty() && loader.getResource(prefix) == null
                    && loader.getResource(prefix + "/index.html") == null) {
                LOG.log(System.Logger.Level.WARNING, "static folder \"" + config.staticClasspath + "\" is not on the classpath"
                        + " of " + loader + "; every page will be 404 (put the folder on the classpath: in a JBang script list"
                        + " the files with //FILES, in Maven under src/main/resources; or use cfg.staticDir(Path))");
            }
            manager = new ClassPathFiles(loader, prefix);
        }
        if (manager == null) {
            return ResponseCodeHandler.HANDLE_404;
        }
        HttpHandler files = new ResourceHandler(manager, ResponseCodeHandler.HANDLE_404).setWelcomeFiles("index.html");
        if (config.pageHeaders.isEmpty()) {
            return files;
        }
        Map<String, String> headers = Map.copyOf(config.pageHeaders);
        return exchange -> {
            headers.forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
            files.handleRequest(exchange);
        };
    }

    private void serveClientScript(HttpServerExchange exchange) throws IOException {
        URL url = RealtimeServer.class.getClassLoader().getResource(CLIENT_SCRIPT);
        if (url == null && config.staticLoader != null) {
            url = config.staticLoader.getResource(CLIENT_SCRIPT);
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (url == null && context != null) {
            url = context.getResource(CLIENT_SCRIPT);
        }
        if (url == null) {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            exchange.getResponseSender().send("the browser client " + CLIENT_SCRIPT + " is not on the classpath");
            return;
        }
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/javascript; charset=UTF-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }
}
