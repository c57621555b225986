package relaylab.realtime;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.core.WebSocketChannel;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Engine.IO session (WebSocket, or long-polling possibly upgraded to WebSocket) and the Socket.IO
 * sockets multiplexed on it. Small on purpose: no thread, no buffer while idle; timers live on the
 * server's single scheduler; incoming packets are handled in order by a {@link SerialExecutor}.
 */
final class EngineConnection {
    private static final System.Logger LOG = System.getLogger("relaylab.realtime");
    private static final char RECORD_SEPARATOR = '\u001e';
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();
    private static final Base64.Encoder BASE64_ENCODER = Base64.getEncoder();

    final String sid;
    final RealtimeServer server;
    final SerialExecutor inbox;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers;
    private final String address;
    private final Instant time = Instant.now();
    private final Map<String, RealtimeSocket> sockets = new ConcurrentHashMap<>(2);

    // all fields below are guarded by "this" (reads of ws may skip the lock)
    private volatile WebSocketChannel ws;
    private volatile WebSocketWriter wsWriter; // ws's writer, set with it
    // while a connection handler runs, outgoing packets wait here so that CONNECT goes out first
    private volatile boolean holding;
    private List<Outbound> held;
    private WebSocketChannel probe;
    // the probe answered "3probe": the client pauses polling and waits for its current GET to return
    private boolean probed;
    private ArrayDeque<Outbound> queue;
    private HttpServerExchange pendingGet;
    private ServerConnection watched;
    private boolean postBusy;
    private boolean pollingDone;
    private volatile boolean closed;
    private boolean awaitingPong;
    private int pongs;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> connectTimer;

    // binary reassembly: only touched by the inbox
    private Packet partial;
    private List<byte[]> partialAttachments;

    EngineConnection(String sid, RealtimeServer server, Map<String, String> query, Map<String, List<String>> headers,
                     String address) {
        this.sid = sid;
        this.server = server;
        this.inbox = new SerialExecutor(server.executor());
        this.query = query;
        this.headers = headers;
        this.address = address;
    }

    /** The open packet for this session. */
    String openPacket(boolean polling) {
        RealtimeConfig cfg = server.config;
        return "0{\"sid\":\"" + sid + "\",\"upgrades\":" + (polling ? "[\"websocket\"]" : "[]") + ",\"pingInterval\":"
                + cfg.pingInterval.toMillis() + ",\"pingTimeout\":" + cfg.pingTimeout.toMillis() + ",\"maxPayload\":"
                + cfg.maxPayload + "}";
    }

    /** Starts the heartbeat and the connect timeout; called once the open packet is on its way. */
    void start() {
        synchronized (this) {
            if (closed) {
                return;
            }
            connectTimer = server.scheduler.schedule(this::connectTimedOut, server.config.connectTimeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        schedulePing();
    }

    private void connectTimedOut() {
        if (sockets.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "connection " + sid + " from " + address + " sent no CONNECT within "
                    + server.config.connectTimeout.toMillis() + " ms; closing it");
            close("connect timeout");
        }
    }

    // ------------------------------------------------------------------ heartbeat

    private void schedulePing() {
        synchronized (this) {
            if (closed) {
                return;
            }
            heartbeat = server.scheduler.schedule(this::sendPing, server.config.pingInterval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void sendPing() {
        synchronized (this) {
            if (closed) {
                return;
            }
            awaitingPong = true;
            heartbeat = server.scheduler.schedule(this::pingTimedOut, server.config.pingTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        send(Outbound.PING);
    }

    private void pingTimedOut() {
        LOG.log(System.Logger.Level.INFO, "connection " + sid + " from " + address + " did not answer the ping within "
                + server.config.pingTimeout.toMillis() + " ms; closing it");
        close("ping timeout");
    }

    private void onPong() {
        synchronized (this) {
            if (closed || !awaitingPong) {
                return;
            }
            awaitingPong = false;
            pongs++;
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
        }
        schedulePing();
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends one encoded packet over the current transport (or queues it for the next poll). WebSocket
     * writes always happen on the channel's I/O thread, so a connection's packets keep their order and
     * a packet's attachments stay together without a lock.
     */
    void send(Outbound packet) {
        WebSocketChannel channel = ws;
        if (channel != null && !holding) {
            sendWs(channel, packet);
            return;
        }
        HttpServerExchange exchange = null;
        List<Outbound> batch = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (held != null) {
                held.add(packet);
                return;
            }
            channel = ws;
            if (channel == null) {
                queue().add(packet);
                if (pendingGet != null) {
                    exchange = pendingGet;
                    pendingGet = null;
                    batch = drain();
                }
            }
        }
        if (channel != null) {
            sendWs(channel, packet);
        } else if (exchange != null) {
            respondPoll(exchange, batch);
        }
    }

    /** Sends only if the transport can take it now (WebSocket, or a pending poll with nothing queued); else drops it. */
    void sendVolatile(Outbound packet) {
        WebSocketChannel channel = ws;
        if (channel != null && !holding) {
            sendWs(channel, packet);
            return;
        }
        boolean writable;
        synchronized (this) {
            writable = !closed && held == null && (ws != null || (pendingGet != null && (queue == null || queue.isEmpty())));
        }
        if (writable) {
            send(packet);
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "volatile packet to connection " + sid + " dropped");
        }
    }

    /** The WebSocket this connection writes to directly, or null while on polling or holding packets back. */
    WebSocketChannel webSocket() {
        return holding ? null : ws;
    }

    /** The writer of {@link #webSocket()}, or null likewise: what a broadcast queues its frame on. */
    WebSocketWriter webSocketWriter() {
        return holding || ws == null ? null : wsWriter;
    }

    /** Starts holding outgoing packets back (while a connection handler runs). */
    private synchronized void hold() {
        held = new ArrayList<>(4);
        holding = true;
    }

    /** Sends {@code first} then the packets held back, then goes back to sending directly. */
    private void release(Outbound first) {
        HttpServerExchange exchange = null;
        List<Outbound> batch = null;
        synchronized (this) {
            List<Outbound> packets = held;
            held = null;
            if (!closed) {
                WebSocketChannel channel = ws;
                if (channel != null) {
                    sendWs(channel, first);
                    for (Outbound p : packets) {
                        sendWs(channel, p);
                    }
                } else {
                    queue().add(first);
                    queue.addAll(packets);
                    if (pendingGet != null) {
                        exchange = pendingGet;
                        pendingGet = null;
                        batch = drain();
                    }
                }
            }
            holding = false;
        }
        if (exchange != null) {
            respondPoll(exchange, batch);
        }
    }

    private void sendWs(WebSocketChannel channel, Outbound packet) {
        XnioIoThread io = channel.getIoThread();
        if (Thread.currentThread() == io) {
            writeWs(channel, packet);
        } else {
            try {
                io.execute(() -> writeWs(channel, packet));
            } catch (RejectedExecutionException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "connection " + sid + ": send after shutdown dropped");
            }
        }
    }

    /** Queues the packet on the channel's writer (on its I/O thread; callers make sure of it). */
    void writeWs(WebSocketChannel channel, Outbound packet) {
        if (!channel.isOpen()) {
            return;
        }
        WebSocketWriter.of(channel).send(packet);
    }

    private ArrayDeque<Outbound> queue() {
        if (queue == null) {
            queue = new ArrayDeque<>(4);
        }
        return queue;
    }

    private List<Outbound> drain() {
        List<Outbound> batch = new ArrayList<>(queue);
        queue = null;
        return batch;
    }

    // ------------------------------------------------------------------ HTTP long-polling

    /** A GET: answer now if packets wait, else hold the request until there are some. Runs after dispatch. */
    void onPollGet(HttpServerExchange exchange) {
        List<Outbound> batch = null;
        boolean overlap = false;
        synchronized (this) {
            if (closed || pollingDone) {
                batch = List.of(closed ? Outbound.CLOSE : Outbound.NOOP);
            } else if (pendingGet != null) {
                overlap = true;
            } else if (queue != null && !queue.isEmpty()) {
                batch = drain();
            } else if (probed) {
                // a GET that arrives after "3probe" must return at once, or the upgrade waits for the next ping
                batch = List.of(Outbound.NOOP);
            } else {
                pendingGet = exchange;
            }
        }
        if (overlap) {
            LOG.log(System.Logger.Level.WARNING, "connection " + sid + " from " + address
                    + " sent a second GET while one is pending (protocol error); closing it");
            EngineHandler.error(exchange, 3, "Bad request");
            close("transport error");
            return;
        }
        if (batch != null) {
            respondPoll(exchange, batch);
            return;
        }
        watchPollConnection(exchange.getConnection());
    }

    /** Closes the session when the TCP connection of a pending poll goes away; one listener per TCP connection. */
    private void watchPollConnection(ServerConnection tcp) {
        synchronized (this) {
            if (watched == tcp) {
                return;
            }
            watched = tcp;
        }
        tcp.addCloseListener(c -> {
            boolean wasPending;
            synchronized (this) {
                wasPending = pendingGet != null && pendingGet.getConnection() == c;
                if (wasPending) {
                    pendingGet = null;
                }
            }
            if (wasPending) {
                LOG.log(System.Logger.Level.INFO, "connection " + sid + ": poll request closed by the client; closing the session");
                inbox.execute(() -> close("transport close"));
            }
        });
    }

    private void respondPoll(HttpServerExchange exchange, List<Outbound> batch) {
        StringBuilder body = new StringBuilder();
        for (Outbound packet : batch) {
            if (body.length() > 0) {
                body.append(RECORD_SEPARATOR);
            }
            body.append(packet.text);
            if (packet.attachments != null) {
                for (byte[] attachment : packet.attachments) {
                    body.append(RECORD_SEPARATOR).append('b').append(BASE64_ENCODER.encodeToString(attachment));
                }
            }
        }
        EngineHandler.cors(exchange, server.config);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
        exchange.getResponseSender().send(body.toString());
    }

    /** A POST: one or more packets separated by \x1e; answered with "ok". */
    void onPollPost(HttpServerExchange exchange) {
        boolean overlap;
        synchronized (this) {
            overlap = postBusy;
            postBusy = true;
        }
        if (overlap) {
            LOG.log(System.Logger.Level.WARNING, "connection " + sid + " sent a second POST while one is running (protocol error); closing it");
            EngineHandler.error(exchange, 3, "Bad request");
            close("transport error");
            return;
        }
        long declared = exchange.getRequestContentLength();
        int max = server.config.maxPayload;
        if (declared > max) {
            tooBig(exchange, declared);
            return;
        }
        exchange.setMaxEntitySize(max);
        exchange.getRequestReceiver().receiveFullString((ex, body) -> {
            synchronized (this) {
                postBusy = false;
            }
            if (body.length() > max && Packet.utf8Length(body) > max) {
                tooBig(ex, Packet.utf8Length(body));
                return;
            }
            int start = 0;
            while (start <= body.length()) {
                int end = body.indexOf(RECORD_SEPARATOR, start);
                if (end < 0) {
                    end = body.length();
                }
                String record = body.substring(start, end);
                if (record.startsWith("b")) {
                    byte[] bytes;
                    try {
                        bytes = BASE64_DECODER.decode(record.substring(1));
                    } catch (IllegalArgumentException e) {
                        protocolError("invalid base64 in a binary polling packet");
                        break;
                    }
                    onBinary(bytes);
                } else if (!onText(record)) {
                    break;
                }
                start = end + 1;
            }
            EngineHandler.cors(ex, server.config);
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=UTF-8");
            ex.getResponseSender().send("ok");
        }, (ex, error) -> {
            synchronized (this) {
                postBusy = false;
            }
            LOG.log(System.Logger.Level.WARNING, "connection " + sid + ": reading the POST body failed (" + error
                    + "); closing it");
            ex.setStatusCode(StatusCodes.BAD_REQUEST);
            ex.endExchange();
            close("transport error");
        }, StandardCharsets.UTF_8);
    }

    private void tooBig(HttpServerExchange exchange, long size) {
        LOG.log(System.Logger.Level.WARNING, "connection " + sid + " from " + address + " sent a message of " + size
                + " bytes, more than maxPayload " + server.config.maxPayload + "; closing it");
        close("transport error");
        exchange.setStatusCode(StatusCodes.REQUEST_ENTITY_TOO_LARGE);
        exchange.setPersistent(false);
        exchange.endExchange();
    }

    /** True when this session is still on polling and may be upgraded by a WebSocket. */
    synchronized boolean canUpgrade() {
        return !closed && ws == null && probe == null && !pollingDone;
    }

    synchronized boolean isPolling() {
        return !closed && ws == null && !pollingDone;
    }

    // ------------------------------------------------------------------ WebSocket

    /** A WebSocket opened without sid: this session lives on it from the start. */
    void attachWebSocket(WebSocketChannel channel) {
        wsWriter = WebSocketWriter.of(channel);
        ws = channel;
        channel.addCloseTask(c -> onWsClosed(c));
    }

    /** A WebSocket opened with this sid: a probe for upgrading from polling. False (and closed) if another probe runs. */
    boolean attachProbe(WebSocketChannel channel) {
        synchronized (this) {
            if (closed || probe != null || ws != null || pollingDone) {
                LOG.log(System.Logger.Level.INFO, "connection " + sid + ": second upgrade attempt refused");
                IoUtils.safeClose(channel);
                return false;
            }
            probe = channel;
        }
        channel.addCloseTask(c -> onWsClosed(c));
        return true;
    }

    private void onWsClosed(WebSocketChannel channel) {
        boolean wasProbe;
        synchronized (this) {
            wasProbe = channel == probe;
            if (wasProbe) {
                probe = null;
                probed = false;
            }
        }
        if (wasProbe) {
            LOG.log(System.Logger.Level.DEBUG, () -> "upgrade probe of connection " + sid + " closed");
        } else if (channel == ws && !closed) {
            // after the packets that arrived before the close (e.g. a DISCONNECT) have been handled
            inbox.execute(() -> close("transport close"));
        }
    }

    /** A text message from a probe WebSocket: "2probe" then "5". */
    void onProbeText(WebSocketChannel channel, String text) {
        if ("2probe".equals(text)) {
            WebSocketWriter.of(channel).send(Outbound.PROBE_ANSWER);
            // make the client's pending poll return so that it can pause polling; a poll still on its way is
            // answered when it arrives (see onPollGet)
            HttpServerExchange exchange;
            synchronized (this) {
                if (closed || probe != channel) {
                    return;
                }
                probed = true;
                exchange = pendingGet;
                pendingGet = null;
            }
            if (exchange != null) {
                respondPoll(exchange, List.of(Outbound.NOOP));
            }
        } else if ("5".equals(text)) {
            HttpServerExchange exchange;
            List<Outbound> batch;
            synchronized (this) {
                if (closed || probe != channel) {
                    return;
                }
                probe = null;
                probed = false;
                pollingDone = true;
                exchange = pendingGet;
                pendingGet = null;
                batch = queue == null ? List.of() : drain();
                for (Outbound packet : batch) {
                    writeWs(channel, packet);
                }
                wsWriter = WebSocketWriter.of(channel);
                ws = channel;
            }
            if (exchange != null) {
                respondPoll(exchange, List.of(Outbound.NOOP));
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + sid + " upgraded to WebSocket");
        } else {
            LOG.log(System.Logger.Level.WARNING, "connection " + sid + ": unexpected packet during upgrade: " + abbreviate(text)
                    + "; closing the probe");
            IoUtils.safeClose(channel);
        }
    }

    /** True when this channel is the probe of an upgrade in progress. */
    synchronized boolean isProbe(WebSocketChannel channel) {
        return channel == probe;
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Handles one Engine.IO text packet from the client. Returns false when it closed the connection.
     */
    boolean onText(String text) {
        if (closed) {
            return false;
        }
        if (text.isEmpty()) {
            return protocolError("empty Engine.IO packet");
        }
        switch (text.charAt(0)) {
            case '3' -> onPong();
            case '4' -> {
                String payload = text.substring(1);
                if (payload.startsWith("3")) {
                    // acks skip the per-connection queue: a handler blocked on emitWithAck(...).get() still gets its answer
                    server.executor().execute(() -> onAckPacket(payload));
                } else {
                    inbox.execute(() -> onSocketIo(payload));
                }
            }
            case '1' -> {
                LOG.log(System.Logger.Level.DEBUG, () -> "connection " + sid + " sent close");
                inbox.execute(() -> close("transport close"));
                return false;
            }
            case '6' -> {
                // noop
            }
            case '2' -> {
                return protocolError("ping from the client (in Engine.IO v4 the server pings and the client answers 3)");
            }
            default -> {
                return protocolError("unknown Engine.IO packet type in " + abbreviate(text));
            }
        }
        return true;
    }

    /** Handles one binary message: an attachment of the pending binary Socket.IO packet. */
    void onBinary(byte[] data) {
        if (!closed) {
            inbox.execute(() -> onAttachment(data));
        }
    }

    private boolean protocolError(String what) {
        LOG.log(System.Logger.Level.WARNING, "connection " + sid + " from " + address + ": " + what + "; closing it");
        close("transport error");
        return false;
    }

    private void socketIoError(String what) {
        LOG.log(System.Logger.Level.WARNING, "connection " + sid + " from " + address + ": " + what + "; closing it");
        close("parse error");
    }

    private void onSocketIo(String text) {
        if (closed) {
            return;
        }
        if (partial != null) {
            socketIoError("a text packet arrived while binary attachments were expected");
            return;
        }
        Packet packet;
        try {
            packet = Packet.decode(text);
        } catch (Packet.BadPacketException e) {
            socketIoError(e.getMessage() + " (packet: " + abbreviate(text) + ")");
            return;
        }
        if (packet.attachments() > 0) {
            partial = packet;
            partialAttachments = new ArrayList<>(packet.attachments());
            return;
        }
        handle(packet);
    }

    private void onAckPacket(String text) {
        if (closed) {
            return;
        }
        try {
            handle(Packet.decode(text));
        } catch (Packet.BadPacketException e) {
            socketIoError(e.getMessage() + " (packet: " + abbreviate(text) + ")");
        }
    }

    private void onAttachment(byte[] data) {
        if (closed) {
            return;
        }
        if (partial == null) {
            socketIoError("unexpected binary message (no BINARY_EVENT/BINARY_ACK announced it)");
            return;
        }
        partialAttachments.add(data);
        if (partialAttachments.size() == partial.attachments()) {
            Packet packet = partial;
            List<byte[]> attachments = partialAttachments;
            partial = null;
            partialAttachments = null;
            try {
                Object data2 = Packet.reconstruct(packet.data(), attachments);
                handle(new Packet(packet.type(), packet.namespace(), packet.ackId(), data2, 0));
            } catch (Packet.BadPacketException e) {
                socketIoError(e.getMessage());
            }
        }
    }

    private void handle(Packet packet) {
        switch (packet.type()) {
            case Packet.CONNECT -> connect(packet);
            case Packet.DISCONNECT -> {
                RealtimeSocket socket = sockets.get(packet.namespace());
                if (socket != null) {
                    socket.close("client namespace disconnect");
                }
            }
            case Packet.EVENT, Packet.BINARY_EVENT -> {
                RealtimeSocket socket = sockets.get(packet.namespace());
                if (socket == null) {
                    LOG.log(System.Logger.Level.INFO, "connection " + sid + " sent event '" + packet.eventName()
                            + "' to namespace " + packet.namespace() + " without being connected to it; ignored");
                    return;
                }
                socket.dispatch(packet.eventName(), packet.arguments(), packet.ackId());
            }
            case Packet.ACK, Packet.BINARY_ACK -> {
                RealtimeSocket socket = sockets.get(packet.namespace());
                if (socket != null) {
                    socket.receiveAck(packet.ackId(), packet.arguments());
                }
            }
            default -> socketIoError("unexpected packet type " + packet.type());
        }
    }

    private void connect(Packet packet) {
        String name = packet.namespace();
        String prefix = "/".equals(name) ? "" : name + ",";
        Namespace namespace = server.namespace(name);
        if (namespace == null) {
            LOG.log(System.Logger.Level.INFO, "connection " + sid + " asked for unknown namespace " + name + "; refused");
            send(Packet.encode(Packet.CONNECT_ERROR, name, -1, Map.of("message", "Invalid namespace")));
            return;
        }
        if (sockets.containsKey(name)) {
            LOG.log(System.Logger.Level.INFO, "connection " + sid + " is already connected to " + name + "; CONNECT ignored");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> auth = packet.data() == null ? Map.of() : (Map<String, Object>) packet.data();
        Handshake handshake = new Handshake(auth, query, headers, address, time);
        ConnectionRecovery recovery = server.recovery;
        ConnectionRecovery.Resumption resumption = recovery == null ? null
                : recovery.resume(name, auth.get("pid"), auth.get("offset"));
        if (resumption != null && resumption.refusal() != null) {
            LOG.log(System.Logger.Level.INFO, "connection " + sid + " could not recover its state on " + name + ": "
                    + resumption.refusal() + "; it starts a fresh session");
        }
        boolean resumed = resumption != null && resumption.session() != null;
        RealtimeSocket socket = resumed
                ? new RealtimeSocket(resumption.session().sid(), resumption.session().pid(), true, namespace, this, handshake)
                : new RealtimeSocket(Ids.next(), recovery == null ? null : ConnectionRecovery.newPid(), false, namespace, this, handshake);
        if (resumed) {
            socket.data().putAll(resumption.session().data());
        }
        Consumer<Namespace.Refusal> admit = refusal -> inbox.execute(() -> {
            if (closed) {
                return;
            }
            if (refusal != null) {
                LOG.log(System.Logger.Level.INFO, "connection " + sid + " refused on " + name + ": " + refusal.message());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("message", refusal.message());
                if (refusal.data() != null) {
                    body.put("data", refusal.data());
                }
                send(Packet.encode(Packet.CONNECT_ERROR, name, -1, body));
                return;
            }
            synchronized (this) {
                if (connectTimer != null) {
                    connectTimer.cancel(false);
                    connectTimer = null;
                }
            }
            // like the reference server: the connection handlers have run (rooms joined, listeners set)
            // before the client learns it is connected, and what they emit follows the CONNECT answer
            hold();
            try {
                sockets.put(name, socket);
                socket.markConnected();
                if (resumed) {
                    resume(socket, resumption, recovery);
                } else {
                    namespace.add(socket);
                }
                namespace.fireConnect(socket);
            } finally {
                String answer = socket.pid == null ? "{\"sid\":\"" + socket.id() + "\"}"
                        : "{\"sid\":\"" + socket.id() + "\",\"pid\":\"" + socket.pid + "\"}";
                release(new Outbound("40" + prefix + answer, null));
            }
        });
        if (resumed && recovery.skipMiddlewares) {
            admit.accept(null);   // socket.io's default: a recovered socket passed the middlewares already
        } else {
            namespace.runMiddlewares(socket, admit);
        }
    }

    /**
     * Puts a recovered socket back: in the namespace and its rooms, then the events it missed, in one step against
     * broadcasts (under the recovery lock), so that each event arrives once, in order, before live ones.
     */
    private void resume(RealtimeSocket socket, ConnectionRecovery.Resumption resumption, ConnectionRecovery recovery) {
        String name = socket.namespace().name();
        synchronized (recovery.lock(name)) {
            socket.namespace().add(socket);
            resumption.session().rooms().forEach(socket::join);
            for (Outbound missed : recovery.missed(name, resumption.afterSequence(), socket.rooms())) {
                send(missed);
            }
        }
    }

    void socketClosed(RealtimeSocket socket) {
        sockets.remove(socket.namespace().name(), socket);
    }

    // ------------------------------------------------------------------ closing

    /** Closes the session: disconnects its sockets with {@code reason}, stops timers, closes transports. Idempotent. */
    void close(String reason) {
        HttpServerExchange exchange;
        WebSocketChannel channel;
        WebSocketChannel probeChannel;
        List<Outbound> batch;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (heartbeat != null) {
                heartbeat.cancel(false);
                heartbeat = null;
            }
            if (connectTimer != null) {
                connectTimer.cancel(false);
                connectTimer = null;
            }
            exchange = pendingGet;
            pendingGet = null;
            channel = ws;
            probeChannel = probe;
            probe = null;
            probed = false;
            batch = queue == null ? new ArrayList<>() : drain();
        }
        server.removeConnection(this);
        for (RealtimeSocket socket : List.copyOf(sockets.values())) {
            socket.close(reason);
        }
        if (exchange != null) {
            batch.add(Outbound.CLOSE);
            respondPoll(exchange, batch);
        }
        if (channel != null) {
            closeChannel(channel);
        }
        if (probeChannel != null) {
            IoUtils.safeClose(probeChannel);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "connection " + sid + " closed: " + reason);
    }

    /** Sends what is queued, then the close frame, then closes the socket. */
    private static void closeChannel(WebSocketChannel channel) {
        if (channel.isOpen()) {
            WebSocketWriter.of(channel).close();
        }
    }

    synchronized int pongs() {
        return pongs;
    }

    synchronized boolean hasPendingPoll() {
        return pendingGet != null;
    }

    boolean closed() {
        return closed;
    }

    int socketCount() {
        return sockets.size();
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...(" + text.length() + " chars)";
    }
}
