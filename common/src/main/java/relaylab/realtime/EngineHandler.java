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
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code /socket.io/} endpoint: validates the Engine.IO query (EIO=4, transport, sid), opens
 * sessions, serves polling GET/POST, and hands WebSocket upgrades to Undertow.
 */
final class EngineHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger("relaylab.realtime");
    private static final AttachmentKey<EngineConnection> UPGRADING = AttachmentKey.create(EngineConnection.class);
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
            reject(exchange, 5, "Unsupported protocol version", "EIO=" + eio);
            return;
        }
        boolean polling = "polling".equals(transport) && cfg.allowPolling;
        if (!polling && !"websocket".equals(transport)) {
            reject(exchange, 0, "Transport unknown", "transport=" + transport);
            return;
        }
        if (!polling) {
            HeaderValues upgrade = exchange.getRequestHeaders().get(Headers.UPGRADE);
            if (upgrade == null || !"websocket".equalsIgnoreCase(upgrade.getFirst())
                    || !exchange.getRequestMethod().equals(Methods.GET)) {
                reject(exchange, 3, "Bad request", "transport=websocket without a WebSocket upgrade");
                return;
            }
            if (sid != null) {
                EngineConnection connection = server.connection(sid);
                if (connection == null) {
                    reject(exchange, 1, "Session ID unknown", "sid=" + sid);
                    return;
                }
                if (!connection.canUpgrade()) {
                    reject(exchange, 3, "Bad request", "session " + sid + " cannot be upgraded (already on WebSocket or upgrading)");
                    return;
                }
                exchange.putAttachment(UPGRADING, connection);
            } else {
                exchange.putAttachment(NEW_SESSION, clientInfo(exchange));
            }
            upgrade(exchange);
            return;
        }
        boolean get = exchange.getRequestMethod().equals(Methods.GET);
        boolean post = exchange.getRequestMethod().equals(Methods.POST);
        if (sid == null) {
            if (!get) {
                reject(exchange, 2, "Bad handshake method", exchange.getRequestMethod() + " without sid");
                return;
            }
            EngineConnection connection = newConnection(clientInfo(exchange));
            cors(exchange, cfg);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
            exchange.getResponseSender().send(connection.openPacket(true));
            connection.start();
            return;
        }
        EngineConnection connection = server.connection(sid);
        if (connection == null) {
            reject(exchange, 1, "Session ID unknown", "sid=" + sid);
            return;
        }
        if (!connection.isPolling()) {
            reject(exchange, 3, "Bad request", "polling request for session " + sid + " that is not on polling");
            return;
        }
        if (get) {
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> connection.onPollGet(exchange));
        } else if (post) {
            connection.onPollPost(exchange);
        } else {
            reject(exchange, 3, "Bad request", "method " + exchange.getRequestMethod());
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

    private EngineConnection newConnection(ClientInfo info) {
        EngineConnection connection = new EngineConnection(Ids.next(), server, info.query(), info.headers(), info.address());
        server.addConnection(connection);
        return connection;
    }

    /**
     * Undertow's version-13 handshake, done here rather than by {@code Handlers.websocket} so that the
     * upgraded connection itself is at hand: its data frames are written by {@link WebSocketWriter}.
     */
    private void upgrade(HttpServerExchange exchange) {
        AsyncWebSocketHttpServerExchange facade = new AsyncWebSocketHttpServerExchange(exchange, peers);
        if (!handshake.matches(facade)) {
            reject(exchange, 3, "Bad request", "not a version 13 WebSocket handshake (Sec-WebSocket-Key/Version)");
            return;
        }
        exchange.upgradeChannel((StreamConnection connection, HttpServerExchange upgraded) -> {
            WebSocketChannel channel = handshake.createChannel(facade, connection, facade.getBufferPool());
            onWebSocket(facade, channel, connection);
        });
        handshake.handshake(facade);
    }

    private void onWebSocket(WebSocketHttpExchange exchange, WebSocketChannel channel, StreamConnection stream) {
        EngineConnection upgrading = exchange.getAttachment(UPGRADING);
        EngineConnection connection;
        if (upgrading != null) {
            connection = upgrading;
            WebSocketWriter.attach(channel, stream.getSinkChannel(), connection);
            if (!connection.attachProbe(channel)) {
                return;
            }
        } else {
            ClientInfo info = exchange.getAttachment(NEW_SESSION);
            if (info == null) {
                IoUtils.safeClose(channel);
                return;
            }
            connection = newConnection(info);
            WebSocketWriter writer = WebSocketWriter.attach(channel, stream.getSinkChannel(), connection);
            connection.attachWebSocket(channel);
            writer.send(new Outbound(connection.openPacket(false), null));
            connection.start();
        }
        int max = server.config.maxPayload;
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                String text = message.getData();
                if (connection.isProbe(ch)) {
                    connection.onProbeText(ch, text);
                } else {
                    connection.onText(text);
                }
            }

            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                try (var pooled = message.getData()) {
                    connection.onBinary(concat(pooled.getResource()).array());
                }
            }

            @Override
            protected void onFullPingMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                try (var pooled = message.getData()) {
                    WebSocketWriter.of(ch).pong(concat(pooled.getResource()));
                }
            }

            @Override
            protected void onFullCloseMessage(WebSocketChannel ch, BufferedBinaryMessage message) throws IOException {
                WebSocketWriter writer = WebSocketWriter.of(ch);
                boolean halfWritten = writer.hasPending();
                writer.stop();
                if (halfWritten) {
                    // a frame may be half written: Undertow's close frame cannot follow it, so just hang up
                    message.getData().close();
                    IoUtils.safeClose(ch);
                    return;
                }
                super.onFullCloseMessage(ch, message);
            }

            @Override
            protected long getMaxTextBufferSize() {
                return max;
            }

            @Override
            protected long getMaxBinaryBufferSize() {
                return max;
            }

            @Override
            protected void onError(WebSocketChannel ch, Throwable error) {
                String message = String.valueOf(error.getMessage());
                if (error instanceof IOException && message.contains("max message size")) {
                    LOG.log(System.Logger.Level.WARNING, "connection " + connection.sid + " sent a WebSocket message larger than"
                            + " maxPayload " + max + " bytes; closing it");
                } else {
                    LOG.log(System.Logger.Level.INFO, "connection " + connection.sid + ": WebSocket error " + error + "; closing it");
                }
                if (!connection.isProbe(ch)) {
                    connection.close("transport error");
                }
                IoUtils.safeClose(ch);
            }
        });
        channel.resumeReceives();
    }

    // ------------------------------------------------------------------ helpers

    /** The bytes of a message Undertow hands over in several buffers, in one heap buffer. */
    private static ByteBuffer concat(ByteBuffer[] buffers) {
        int size = 0;
        for (ByteBuffer b : buffers) {
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : buffers) {
            all.put(b);
        }
        return all.flip();
    }

    private static String param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private void reject(HttpServerExchange exchange, int code, String message, String detail) {
        LOG.log(System.Logger.Level.INFO, "rejected " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                + "?" + EngineConnection.abbreviate(exchange.getQueryString()) + " from " + exchange.getSourceAddress()
                + ": " + message + " (" + detail + ")");
        cors(exchange, server.config);
        error(exchange, code, message);
    }

    /** Sends HTTP 400 with the reference server's JSON body {"code":..,"message":..}. */
    static void error(HttpServerExchange exchange, int code, String message) {
        exchange.setStatusCode(code == 4 ? StatusCodes.FORBIDDEN : StatusCodes.BAD_REQUEST);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send("{\"code\":" + code + ",\"message\":\"" + message + "\"}");
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
