package relaylab.realtime;

import javax.net.ssl.SSLContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Settings of a {@link RealtimeServer}, filled in the lambda given to {@link RealtimeServer#create}.
 * Defaults follow the reference Socket.IO server: ping every 25 s, pong expected within 20 s,
 * 1 MB max message, 45 s to send CONNECT.
 */
public final class RealtimeConfig {
    String host = "127.0.0.1";
    String staticClasspath;
    ClassLoader staticLoader;
    Path staticDir;
    Duration pingInterval = Duration.ofSeconds(25);
    Duration pingTimeout = Duration.ofSeconds(20);
    int maxPayload = 1_000_000;
    Duration connectTimeout = Duration.ofSeconds(45);
    List<String> corsOrigins;
    int maxAttachments = 10;
    int maxHeaderSize = 16 * 1024;
    Duration headersTimeout = Duration.ofSeconds(10);
    Duration idleTimeout;
    int maxConnections = -1;
    int maxInboundPackets = 1000;
    long maxQueuedBytes = Runtime.getRuntime().maxMemory() / 4;
    static final Duration IDLE_MARGIN = Duration.ofSeconds(5);
    boolean allowPolling = true;
    int ioThreads;
    SSLContext sslContext;
    AllowRequest allowRequest;
    Duration recoveryMaxDisconnection;   // null: connection state recovery off (the default, as in socket.io)
    boolean recoverySkipMiddlewares;
    Supplier<? extends Collection<String>> allowedOrigins;
    final Map<String, String> pageHeaders = new LinkedHashMap<>();
    final List<HandlerErrorListener> handlerErrorListeners = new ArrayList<>();
    Function<Namespace, Adapter> adapterFactory = Adapter::new;
    String routeCookie;
    String route;

    RealtimeConfig() {
    }

    /** The address to bind; default 127.0.0.1 (only this machine). */
    public RealtimeConfig host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /**
     * How many I/O threads accept, read and write the connections; default 0 = as many as the machine has
     * cores, at least 2. Lower it when the server shares a small machine with other busy processes (the
     * fan-out bench runs its load generator next to the server on 2 cores: {@code ./jbang bench --io-threads 1}).
     */
    public RealtimeConfig ioThreads(int threads) {
        if (threads < 0 || threads > 256) {
            throw new IllegalArgumentException("ioThreads must be 0 (one per core) to 256, not " + threads);
        }
        this.ioThreads = threads;
        return this;
    }

    /**
     * Serves static files from a classpath folder, e.g. "/public" (or "/" for the classpath root), looked up
     * with the context class loader of the thread that calls this (normally the one running
     * {@code RealtimeServer.create}), or the loader of the realtime classes when the thread has none. Prefer
     * {@link #staticFiles(Class, String)} when the files sit next to your own classes: it does not depend on
     * the calling thread. Never served: {@code .class} and {@code .java} files, anything under META-INF, and
     * paths leaving the folder ({@code ..}); those answer 404 like a missing file.
     */
    public RealtimeConfig staticFiles(String classpathFolder) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return useStaticFiles(context != null ? context : RealtimeConfig.class.getClassLoader(), classpathFolder);
    }

    /**
     * Serves static files from a classpath folder found with the class loader of {@code anchor}, e.g.
     * {@code cfg.staticFiles(Chat.class, "/")} for an index.html that sits on the classpath with the Chat class.
     * The folder is still a classpath path (not relative to the anchor's package). Same refusals as
     * {@link #staticFiles(String)}.
     */
    public RealtimeConfig staticFiles(Class<?> anchor, String classpathFolder) {
        Objects.requireNonNull(anchor, "anchor");
        ClassLoader loader = anchor.getClassLoader();
        return useStaticFiles(loader != null ? loader : ClassLoader.getSystemClassLoader(), classpathFolder);
    }

    private RealtimeConfig useStaticFiles(ClassLoader loader, String classpathFolder) {
        this.staticClasspath = Objects.requireNonNull(classpathFolder, "classpathFolder");
        this.staticLoader = loader;
        return this;
    }

    /** Serves static files from a directory on disk. */
    public RealtimeConfig staticDir(Path directory) {
        this.staticDir = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /** How often the server pings each client (Engine.IO heartbeat); default 25 s. */
    public RealtimeConfig pingInterval(Duration interval) {
        this.pingInterval = positive(interval, "pingInterval");
        return this;
    }

    /** How long the server waits for the pong before closing with "ping timeout"; default 20 s. */
    public RealtimeConfig pingTimeout(Duration timeout) {
        this.pingTimeout = positive(timeout, "pingTimeout");
        return this;
    }

    /** The largest message (WebSocket frame or polling POST body) in bytes; bigger closes the connection. Default 1 000 000. */
    public RealtimeConfig maxPayload(int bytes) {
        if (bytes < 16) {
            throw new IllegalArgumentException("maxPayload must be at least 16 bytes, was " + bytes);
        }
        this.maxPayload = bytes;
        return this;
    }

    /** How long a new connection may take to join a namespace (send CONNECT) before it is closed; default 45 s. */
    public RealtimeConfig connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /**
     * Allows cross-origin HTTP long-polling from these origins, e.g. {@code cors("http://localhost:3000")}: a listed
     * origin is echoed in {@code Access-Control-Allow-Origin} with {@code Access-Control-Allow-Credentials: true}
     * (the page may send its cookies); other origins, and {@code null}, get no CORS header. {@code cors("*")}
     * allows every origin but never with credentials: the answer is a literal {@code *}, as in the reference
     * server, so no site can read a polling response made with the user's cookies. Default: no CORS headers.
     */
    public RealtimeConfig cors(String origin, String... more) {
        List<String> all = new ArrayList<>();
        all.add(Objects.requireNonNull(origin, "origin"));
        for (String o : more) {
            all.add(Objects.requireNonNull(o, "origin"));
        }
        if (all.size() > 1 && all.contains("*")) {
            throw new IllegalArgumentException("cors: \"*\" allows every origin and cannot be combined with a list " + all);
        }
        this.corsOrigins = List.copyOf(all);
        return this;
    }

    /**
     * How many received packets may wait for the handlers of one connection. When a handler is slow and this many
     * wait, the server stops reading that WebSocket (TCP then slows the client down) and holds back the answer to a
     * polling POST, until half of them are handled; nothing is dropped (logged at INFO as "reading paused"). Acks
     * do not count and are never held back. Default 1000.
     */
    public RealtimeConfig maxInboundPackets(int packets) {
        if (packets < 1) {
            throw new IllegalArgumentException("maxInboundPackets must be at least 1, was " + packets);
        }
        this.maxInboundPackets = packets;
        return this;
    }

    /**
     * The most binary attachments one packet (BINARY_EVENT or BINARY_ACK) may announce; a packet announcing more
     * closes the connection ("parse error") before any attachment is kept. Default 10, like socket.io's parser.
     */
    public RealtimeConfig maxAttachments(int count) {
        if (count < 1 || count > 10_000) {
            throw new IllegalArgumentException("maxAttachments must be 1 to 10000, was " + count);
        }
        this.maxAttachments = count;
        return this;
    }

    /**
     * The most bytes of request line and headers one HTTP request may have; a bigger request is refused (HTTP 400,
     * connection closed) before any session opens. Default 16 KB (Node's default); each session keeps at most
     * this much of its first request's headers in its {@link Handshake}.
     */
    public RealtimeConfig maxHeaderSize(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxHeaderSize must be at least 1024 bytes, was " + bytes);
        }
        this.maxHeaderSize = bytes;
        return this;
    }

    /**
     * How long a client may take to send a request's line and headers once it started; a slower one (a
     * "slowloris") is disconnected. Default 10 s.
     */
    public RealtimeConfig headersTimeout(Duration timeout) {
        this.headersTimeout = positive(timeout, "headersTimeout");
        return this;
    }

    /**
     * How long the server waits for the next bytes a client owes it before closing the TCP connection: a request
     * body that stalls, a keep-alive connection with no next request, a WebSocket that went silent. Engine.IO
     * clients are never that quiet (they answer a ping every {@code pingInterval}), so the default is
     * {@code pingInterval + pingTimeout + 5 s} (50 s), which leaves a late pong to the ping timeout; it must be
     * longer than {@code pingInterval}.
     */
    public RealtimeConfig idleTimeout(Duration timeout) {
        this.idleTimeout = positive(timeout, "idleTimeout");
        return this;
    }

    /**
     * The most bytes queued for all slow WebSocket readers together (clients whose socket is full and that have
     * frames waiting), counted like the per-client limit (64 x {@code maxPayload}). When they pass it, the reader
     * holding most is closed ("transport error") with a logged reason, so that many slow clients, each below its
     * own limit, cannot fill the heap together. Default: a quarter of the maximum heap.
     */
    public RealtimeConfig maxQueuedBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least 1, was " + bytes);
        }
        this.maxQueuedBytes = bytes;
        return this;
    }

    /**
     * The most TCP connections the server keeps open at once (WebSocket, polling, plain HTTP, and connections that
     * have sent nothing yet alike), counted as they are accepted. A new connection beyond it gets HTTP 503 and is
     * closed at once, logged as a refusal (at most one line per second). Default: the process's file-descriptor limit
     * ({@code ulimit -n}) minus 256, so that the server keeps descriptors for its own files; 0 means no limit. Should
     * the process run out of descriptors anyway, new connections are refused the same way until some are free.
     */
    public RealtimeConfig maxConnections(int connections) {
        if (connections < 0) {
            throw new IllegalArgumentException("maxConnections must be 0 (no limit) or more, was " + connections);
        }
        this.maxConnections = connections;
        return this;
    }

    /**
     * Decides, for each new Engine.IO session (the first HTTP request, before any namespace), whether it may
     * open; the reference server's {@code allowRequest}. Called on an I/O thread: keep it quick.
     */
    @FunctionalInterface
    public interface AllowRequest {
        /**
         * Returns null to accept the request, or the reason to refuse it: the client then gets HTTP 403 with
         * {@code {"code":4,"message":reason}}. The handshake's {@code auth()} is empty at this point.
         */
        String refusal(Handshake request);
    }

    /**
     * Turns on connection state recovery (off by default), compatible with socket.io 4.6+ clients: a client whose
     * connection dropped (network, ping timeout, server restart of the transport) and that comes back within
     * {@code maxDisconnection} gets its socket id, rooms and {@code data()} back, plus the events it missed, and
     * {@link RealtimeSocket#recovered()} is true. Only events without ack and not volatile are kept, each with its
     * offset as the last argument; an explicit disconnect, from either side, is not recoverable. With
     * {@code skipMiddlewares} (socket.io's default: true) a recovered socket does not run the middlewares again.
     * socket.io's default duration is 2 minutes.
     */
    public RealtimeConfig connectionStateRecovery(Duration maxDisconnection, boolean skipMiddlewares) {
        this.recoveryMaxDisconnection = positive(maxDisconnection, "maxDisconnection");
        this.recoverySkipMiddlewares = skipMiddlewares;
        return this;
    }

    /**
     * Checks each new session before it opens, e.g. its {@code origin} header or its address; a refusal is
     * answered with HTTP 403 and Engine.IO error code 4 ("Forbidden"), as the reference server does.
     */
    public RealtimeConfig allowRequest(AllowRequest check) {
        this.allowRequest = Objects.requireNonNull(check, "check");
        return this;
    }

    /**
     * Lets browsers open a session only from these exact origins, e.g. {@code "https://localhost:8443"}: a
     * request whose {@code Origin} header is not in the list gets HTTP 403 (Engine.IO code 4, "origin not
     * allowed") and one log line, on the WebSocket upgrade and on the polling handshake alike. This is the
     * defence against cross-site WebSocket hijacking: browsers send cookies with a WebSocket handshake from any
     * page, and CORS does not apply to WebSockets. Exact match only (scheme, host and port; no wildcards, no
     * prefixes). A request without an {@code Origin} header (not from a browser page, e.g. the Java client) is
     * let through: only browsers carry ambient cookies, and they always send Origin on a cross-origin request.
     * Checked before {@link #allowRequest}.
     */
    public RealtimeConfig allowedOrigins(String... origins) {
        List<String> list = List.of(origins);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("allowedOrigins needs at least one origin, e.g. \"https://localhost:8443\"");
        }
        return allowedOrigins(() -> list);
    }

    /**
     * Like {@link #allowedOrigins(String...)}, with the list asked for at every new session: for origins known only
     * after {@code start(0)} picked the port, e.g. {@code cfg.allowedOrigins(() -> List.of(server.url()))}.
     */
    public RealtimeConfig allowedOrigins(Supplier<? extends Collection<String>> origins) {
        this.allowedOrigins = Objects.requireNonNull(origins, "origins");
        return this;
    }

    /**
     * Adds a header to every static file the server answers (pages, scripts, styles; not the {@code /socket.io/}
     * requests), e.g. {@code cfg.pageHeader("Content-Security-Policy", "default-src 'self'")}. Called once per
     * header name; a second call with the same name replaces the value.
     */
    public RealtimeConfig pageHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
            throw new IllegalArgumentException("not a header name: \"" + name + "\"");
        }
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("a header value cannot hold a line break: " + name);
        }
        pageHeaders.put(name, value);
        return this;
    }

    /** Turns HTTP long-polling on or off (default on); when off only WebSocket connections are accepted. */
    public RealtimeConfig allowPolling(boolean allow) {
        this.allowPolling = allow;
        return this;
    }

    /** Serves HTTPS and {@code wss://} instead of plain HTTP, with this SSLContext (e.g. a self-signed certificate). */
    public RealtimeConfig ssl(SSLContext context) {
        this.sslContext = Objects.requireNonNull(context, "context");
        return this;
    }

    /**
     * Adds a listener told whenever a handler of this server throws (event handlers, connection handlers,
     * disconnect listeners, middlewares, event filters, onAny listeners), after the server logged it. Listeners
     * run in the order added. See {@link HandlerErrorListener} and {@link TodoRecorder}.
     */
    public RealtimeConfig onHandlerError(HandlerErrorListener listener) {
        handlerErrorListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Chooses the {@link Adapter} of each namespace, called once per namespace as it is created: default
     * {@code Adapter::new} (this server's sockets only). Give an adapter over Redis to run several servers as one.
     */
    public RealtimeConfig adapter(Function<Namespace, Adapter> factory) {
        this.adapterFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /**
     * Sets the cookie {@code name=<sid>.<route>} on each long-polling handshake, the way Tomcat marks a session
     * with its jvmRoute, so that a sticky load balancer (Undertow's {@code LoadBalancingProxyClient} with
     * {@code addSessionCookieName(name)}, Apache's mod_proxy_balancer) sends the session's next requests to this
     * server. Needed behind a balancer whenever polling is allowed; off by default.
     */
    public RealtimeConfig routeCookie(String name, String route) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(route, "route");
        if (!name.matches("[A-Za-z0-9_-]+") || !route.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("cookie name and route are letters, digits, '_' or '-'; got \""
                    + name + "\" and \"" + route + "\"");
        }
        this.routeCookie = name;
        this.route = route;
        return this;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }
}
