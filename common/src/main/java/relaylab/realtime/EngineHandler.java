package relaylab.realtime;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import relaylab.realtime.protocol.EngineError;
import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.PacketCodec;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code /socket.io/} endpoint: validates the Engine.IO query (EIO=4, transport, sid), opens
 * sessions ({@link EngineSession}), hands polling GET/POST to the session's {@link PollingTransport}, and does
 * the WebSocket upgrade, after which a {@link WebSocketTransport} reads and a {@link WebSocketWriter} writes.
 */
final class EngineHandler implements HttpHandler {
    private static final System.Logger LOG = CoreLog.LOG;
    private static final AttachmentKey<EngineSession> UPGRADING = AttachmentKey.create(EngineSession.class);
    private static final AttachmentKey<ClientInfo> NEW_SESSION = AttachmentKey.create(ClientInfo.class);

    /** What we keep of the first HTTP request of a session. */
    private record ClientInfo(Map<String, String> query, Map<String, List<String>> headers, String address) {
    }
    // headers of the WebSocket handshake itself: used up by the upgrade, not kept for the session's Handshake
    private static final Set<String> HANDSHAKE_ONLY = Set.of("sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-protocol");
    private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    private static final HttpString ALLOW_CREDENTIALS = new HttpString("Access-Control-Allow-Credentials");
    private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");

    // rejected requests are logged on I/O threads: at most 20 lines a second, however many bad requests come
    private static final LogBudget REJECT_LINES = new LogBudget(20);
    private final RealtimeServer server;
    private final Hybi13Handshake handshake = new Hybi13Handshake();
    // Undertow's channels remove themselves from this set when they close; nothing is ever added
    private final Set<WebSocketChannel> peers = ConcurrentHashMap.newKeySet();

    EngineHandler(RealtimeServer server) {
        this.server = server;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RealtimeConfig cfg = server.config;
        if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
            cors(exchange, cfg);
            exchange.setStatusCode(StatusCodes.NO_CONTENT);
            exchange.endExchange();
            return;
        }
        String eio = param(exchange, "EIO");
        String transport = param(exchange, "transport");
        String sid = param(exchange, "sid");
        if (!"4".equals(eio)) {
            reject(exchange, EngineError.UNSUPPORTED_PROTOCOL_VERSION, "EIO=" + eio);
            return;
        }
        boolean polling = "polling".equals(transport) && cfg.allowPolling;
        if (!polling && !"websocket".equals(transport)) {
            reject(exchange, EngineError.TRANSPORT_UNKNOWN, "transport=" + transport);
            return;
        }
        if (!polling) {
            HeaderValues upgrade = exchange.getRequestHeaders().get(Headers.UPGRADE);
            if (upgrade == null || !"websocket".equalsIgnoreCase(upgrade.getFirst())
                    || !exchange.getRequestMethod().equals(Methods.GET)) {
                reject(exchange, EngineError.BAD_REQUEST, "transport=websocket without a WebSocket upgrade");
                return;
            }
            if (sid != null) {
                EngineSession connection = server.connection(sid);
                if (connection == null) {
                    reject(exchange, EngineError.UNKNOWN_SID, "sid=" + sid);
                    return;
                }
                // a session that cannot be upgraded (already upgraded or upgrading) gets its WebSocket accepted and
                // closed at once (EngineSession.attachProbe), as the reference server does
                exchange.putAttachment(UPGRADING, connection);
            } else {
                ClientInfo info = clientInfo(exchange);
                if (refused(exchange, info)) {
                    return;
                }
                exchange.putAttachment(NEW_SESSION, info);
            }
            upgrade(exchange);
            return;
        }
        boolean get = exchange.getRequestMethod().equals(Methods.GET);
        boolean post = exchange.getRequestMethod().equals(Methods.POST);
        if (sid == null) {
            if (!get) {
                reject(exchange, EngineError.BAD_HANDSHAKE_METHOD, exchange.getRequestMethod() + " without sid");
                return;
            }
            ClientInfo info = clientInfo(exchange);
            if (refused(exchange, info)) {
                return;
            }
            EngineSession connection = newSession(info, true);
            cors(exchange, cfg);
            if (cfg.routeCookie != null) {
                exchange.getResponseHeaders().add(Headers.SET_COOKIE, cfg.routeCookie + "=" + connection.sid + "." + cfg.route
                        + "; Path=/; HttpOnly; SameSite=Lax");
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
            exchange.getResponseSender().send(connection.openPacket());
            connection.start();
            return;
        }
        EngineSession connection = server.connection(sid);
        if (connection == null) {
            reject(exchange, EngineError.UNKNOWN_SID, "sid=" + sid);
            return;
        }
        if (!connection.isPolling()) {
            reject(exchange, EngineError.BAD_REQUEST, "polling request for session " + sid + " that is not on polling");
            return;
        }
        if (get) {
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> connection.polling.onGet(exchange));
        } else if (post) {
            connection.polling.onPost(exchange);
        } else {
            reject(exchange, EngineError.BAD_REQUEST, "method " + exchange.getRequestMethod());
        }
    }

    private static ClientInfo clientInfo(HttpServerExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        exchange.getQueryParameters().forEach((k, v) -> {
            if (!v.isEmpty()) {
                query.put(k, v.getFirst());
            }
        });
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            String name = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
            if (!HANDSHAKE_ONLY.contains(name)) {
                headers.put(name, List.copyOf(values));
            }
        }
        InetSocketAddress peer = exchange.getSourceAddress();
        String address = peer == null ? "unknown" : peer.getHostString() + ":" + peer.getPort();
        return new ClientInfo(Map.copyOf(query), Map.copyOf(headers), address);
    }

    /** Null when {@code cfg.allowedOrigins} is unset, the request has no Origin, or its Origin is listed exactly. */
    private String originRefusal(String origin) {
        var allowed = server.config.allowedOrigins;
        if (allowed == null || origin == null) {
            return null;
        }
        java.util.Collection<String> origins = allowed.get();
        return origins != null && origins.contains(origin) ? null : "origin not allowed: " + origin;
    }

    /** Asks the config's {@code allowRequest} check, if any; answers 403 (code 4) and returns true when it refuses. */
    private boolean refused(HttpServerExchange exchange, ClientInfo info) {
        RealtimeConfig.AllowRequest check = server.config.allowRequest;
        String refusal = originRefusal(exchange.getRequestHeaders().getFirst(Headers.ORIGIN));
        if (refusal == null && check == null) {
            return false;
        }
        if (refusal == null) {
            try {
                refusal = check.refusal(new Handshake(Map.of(), info.query(), info.headers(), info.address(), Instant.now()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the allowRequest check threw " + e + "; refusing the request", e);
                refusal = "Forbidden";
            }
        }
        if (refusal == null) {
            return false;
        }
        LOG.log(System.Logger.Level.INFO, "refused a handshake from " + info.address() + ": " + refusal);
        cors(exchange, server.config);
        error(exchange, EngineError.FORBIDDEN, refusal);
        return true;
    }

    private EngineSession newSession(ClientInfo info, boolean polling) {
        EngineSession session = new EngineSession(Ids.next(), server, polling, info.query(), info.headers(), info.address());
        server.addConnection(session);
        return session;
    }

    /**
     * Undertow's version-13 handshake, done here rather than by {@code Handlers.websocket} so that the
     * upgraded connection itself is at hand: its data frames are written by {@link WebSocketWriter}.
     */
    private void upgrade(HttpServerExchange exchange) {
        AsyncWebSocketHttpServerExchange facade = new AsyncWebSocketHttpServerExchange(exchange, peers);
        if (!handshake.matches(facade)) {
            reject(exchange, EngineError.BAD_REQUEST, "not a version 13 WebSocket handshake (Sec-WebSocket-Key/Version)");
            return;
        }
        exchange.upgradeChannel((StreamConnection connection, HttpServerExchange upgraded) -> {
            WebSocketChannel channel = handshake.createChannel(facade, connection, facade.getBufferPool());
            onWebSocket(facade, channel, connection);
        });
        handshake.handshake(facade);
    }

    private void onWebSocket(WebSocketHttpExchange exchange, WebSocketChannel channel, StreamConnection stream) {
        EngineSession upgrading = exchange.getAttachment(UPGRADING);
        EngineSession session;
        if (upgrading != null) {
            session = upgrading;
            WebSocketWriter.attach(channel, stream.getSinkChannel(), session);
            if (!session.attachProbe(channel)) {
                return;
            }
        } else {
            ClientInfo info = exchange.getAttachment(NEW_SESSION);
            if (info == null) {
                IoUtils.safeClose(channel);
                return;
            }
            session = newSession(info, false);
            WebSocketWriter writer = WebSocketWriter.attach(channel, stream.getSinkChannel(), session);
            session.attachWebSocket(channel);
            writer.send(new Outbound(session.openPacket(), null));
            session.start();
        }
        WebSocketTransport.listen(session, channel);
    }

    // ------------------------------------------------------------------ helpers

    private static String param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private void reject(HttpServerExchange exchange, EngineError error, String detail) {
        String note = REJECT_LINES.spend();
        if (note != null) {
            LOG.log(System.Logger.Level.INFO, "rejected " + exchange.getRequestMethod() + " "
                    + PacketCodec.abbreviate(exchange.getRequestURI()) + "?" + PacketCodec.abbreviate(exchange.getQueryString())
                    + " from " + exchange.getSourceAddress() + ": " + error.message() + " ("
                    + PacketCodec.abbreviate(detail, 200) + ")" + note);
        }
        cors(exchange, server.config);
        error(exchange, error, null);
    }

    /**
     * Answers with the error's HTTP status (400, or 403 for FORBIDDEN) and the reference server's JSON body
     * {"code":..,"message":..}, the message being the error's own when {@code message} is null.
     */
    static void error(HttpServerExchange exchange, EngineError error, String message) {
        exchange.setStatusCode(error.httpStatus());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(error.body(message));
    }

    /**
     * Adds the CORS headers for polling when {@code cfg.cors(...)} was set: a literal {@code *} without credentials
     * for {@code cors("*")}; for a list, the request's origin with credentials when it is listed, else nothing.
     */
    static void cors(HttpServerExchange exchange, RealtimeConfig cfg) {
        List<String> allowed = cfg.corsOrigins;
        if (allowed == null) {
            return;
        }
        var headers = exchange.getResponseHeaders();
        if (allowed.get(0).equals("*")) {
            headers.put(ALLOW_ORIGIN, "*");
        } else {
            String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
            headers.put(Headers.VARY, "Origin");
            if (origin == null || !allowed.contains(origin)) {
                return;
            }
            headers.put(ALLOW_ORIGIN, origin);
            headers.put(ALLOW_CREDENTIALS, "true");
        }
        headers.put(ALLOW_METHODS, "GET, POST, OPTIONS");
        headers.put(ALLOW_HEADERS, "content-type");
    }
}
