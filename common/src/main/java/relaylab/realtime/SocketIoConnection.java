package relaylab.realtime;

import relaylab.realtime.internal.SerialExecutor;
import relaylab.realtime.protocol.BadPacketException;
import relaylab.realtime.protocol.BinaryAssembler;
import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.Packet;
import relaylab.realtime.protocol.PacketCodec;
import relaylab.realtime.protocol.PacketType;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static relaylab.realtime.protocol.PacketCodec.abbreviate;

/**
 * The Socket.IO connection of one client (socket.io's "Client"), on top of its {@link EngineSession}: decodes
 * Socket.IO packets, puts binary ones back together, joins namespaces (CONNECT, through the namespace's
 * middlewares), leaves them (DISCONNECT), routes events to the namespace's {@link RealtimeSocket} and acks to the
 * socket that waits for them, and closes the session when no CONNECT came within {@code connectTimeout}.
 */
final class SocketIoConnection {
    private static final System.Logger LOG = EngineSession.LOG;

    final EngineSession session;
    final RealtimeServer server;
    final SerialExecutor inbox;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers;
    private final Instant time = Instant.now();
    private final Map<String, RealtimeSocket> sockets = new ConcurrentHashMap<>(2);
    // only touched by the inbox
    private final BinaryAssembler assembler = new BinaryAssembler();
    // guarded by the session's lock
    private ScheduledFuture<?> connectTimer;

    SocketIoConnection(EngineSession session, Map<String, String> query, Map<String, List<String>> headers) {
        this.session = session;
        this.server = session.server;
        this.inbox = session.inbox;
        this.query = query;
        this.headers = headers;
    }

    // ------------------------------------------------------------------ sending (for the sockets)

    void send(Outbound packet) {
        session.send(packet);
    }

    void sendVolatile(Outbound packet) {
        session.sendVolatile(packet);
    }

    // ------------------------------------------------------------------ connect timeout

    /** Starts the connect timeout; false when the session is already closed. */
    boolean startConnectTimer() {
        synchronized (session) {
            if (session.closed()) {
                return false;
            }
            connectTimer = server.scheduler.schedule(this::connectTimedOut, server.config.connectTimeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            return true;
        }
    }

    /** Stops the connect timeout (a namespace was joined, or the session closes); called under the session's lock. */
    void cancelConnectTimer() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
    }

    private void connectTimedOut() {
        if (sockets.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "connection " + session.sid + " from " + session.address + " sent no CONNECT within "
                    + server.config.connectTimeout.toMillis() + " ms; closing it");
            session.close("connect timeout");
        }
    }

    // ------------------------------------------------------------------ receiving

    /** A Socket.IO packet (an Engine.IO message without its '4'), as received on the transport's thread. */
    void onMessage(String payload) {
        if (payload.startsWith("3")) {
            // acks skip the per-connection queue: a handler blocked on emitWithAck(...).get() still gets its answer
            server.executor().execute(() -> onAck(payload));
        } else {
            inbox.execute(() -> onPacket(payload));
        }
    }

    /** A binary message: an attachment of the binary packet announced before. */
    void onBinary(byte[] data) {
        inbox.execute(() -> onAttachment(data));
    }

    private void fail(String what) {
        session.fail(what, "parse error");
    }

    private void onPacket(String text) {
        if (session.closed()) {
            return;
        }
        if (assembler.waiting()) {
            fail("a text packet arrived while binary attachments were expected");
            return;
        }
        Packet packet;
        Packet complete;
        try {
            packet = PacketCodec.decode(text);
        } catch (BadPacketException e) {
            fail(e.getMessage() + " (packet: " + abbreviate(text) + ")");
            return;
        }
        try {
            complete = assembler.packet(packet);
        } catch (BadPacketException e) {
            fail(e.getMessage());
            return;
        }
        if (complete != null) {
            handle(complete);
        }
    }

    private void onAck(String text) {
        if (session.closed()) {
            return;
        }
        try {
            handle(PacketCodec.decode(text));
        } catch (BadPacketException e) {
            fail(e.getMessage() + " (packet: " + abbreviate(text) + ")");
        }
    }

    private void onAttachment(byte[] data) {
        if (session.closed()) {
            return;
        }
        Packet complete;
        try {
            complete = assembler.attachment(data);
        } catch (BadPacketException e) {
            fail(e.getMessage());
            return;
        }
        if (complete != null) {
            handle(complete);
        }
    }

    private void handle(Packet packet) {
        switch (packet.type()) {
            case CONNECT -> connect(packet);
            case DISCONNECT -> {
                RealtimeSocket socket = sockets.get(packet.namespace());
                if (socket != null) {
                    socket.close("client namespace disconnect");
                }
            }
            case EVENT, BINARY_EVENT -> {
                RealtimeSocket socket = sockets.get(packet.namespace());
                if (socket == null) {
                    LOG.log(System.Logger.Level.INFO, "connection " + session.sid + " sent event '" + packet.eventName()
                            + "' to namespace " + packet.namespace() + " without being connected to it; ignored");
                    return;
                }
                socket.dispatch(packet.eventName(), packet.arguments(), packet.ackId());
            }
            case ACK, BINARY_ACK -> {
                RealtimeSocket socket = sockets.get(packet.namespace());
                if (socket != null) {
                    socket.receiveAck(packet.ackId(), packet.arguments());
                }
            }
            default -> fail("unexpected packet type " + packet.type().digit());
        }
    }

    // ------------------------------------------------------------------ namespaces

    private void connect(Packet packet) {
        String name = packet.namespace();
        Namespace namespace = server.namespace(name);
        if (namespace == null) {
            LOG.log(System.Logger.Level.INFO, "connection " + session.sid + " asked for unknown namespace " + name + "; refused");
            send(PacketCodec.encode(PacketType.CONNECT_ERROR, name, -1, Map.of("message", "Invalid namespace")));
            return;
        }
        if (sockets.containsKey(name)) {
            LOG.log(System.Logger.Level.INFO, "connection " + session.sid + " is already connected to " + name + "; CONNECT ignored");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> auth = packet.data() == null ? Map.of() : (Map<String, Object>) packet.data();
        Handshake handshake = new Handshake(auth, query, headers, session.address, time);
        ConnectionRecovery recovery = server.recovery;
        ConnectionRecovery.Resumption resumption = recovery == null ? null
                : recovery.resume(name, auth.get("pid"), auth.get("offset"));
        if (resumption != null && resumption.refusal() != null) {
            LOG.log(System.Logger.Level.INFO, "connection " + session.sid + " could not recover its state on " + name + ": "
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
            if (session.closed()) {
                return;
            }
            if (refusal != null) {
                LOG.log(System.Logger.Level.INFO, "connection " + session.sid + " refused on " + name + ": " + refusal.message());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("message", refusal.message());
                if (refusal.data() != null) {
                    body.put("data", refusal.data());
                }
                send(PacketCodec.encode(PacketType.CONNECT_ERROR, name, -1, body));
                return;
            }
            synchronized (session) {
                cancelConnectTimer();
            }
            // like the reference server: the connection handlers have run (rooms joined, listeners set)
            // before the client learns it is connected, and what they emit follows the CONNECT answer
            session.hold();
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
                session.release(PacketCodec.encode(PacketType.CONNECT, name, -1, socket.pid == null
                        ? Map.of("sid", socket.id()) : connectAnswer(socket)));
            }
        });
        if (resumed && recovery.skipMiddlewares) {
            admit.accept(null);   // socket.io's default: a recovered socket passed the middlewares already
        } else {
            namespace.runMiddlewares(socket, admit);
        }
    }

    /** {"sid":…,"pid":…} in this order, as socket.io answers when connection state recovery is on. */
    private static Map<String, Object> connectAnswer(RealtimeSocket socket) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sid", socket.id());
        answer.put("pid", socket.pid);
        return answer;
    }

    /**
     * Puts a recovered socket back: in the namespace and its rooms, then the events it missed, in one step against
     * broadcasts (under the recovery lock), so that each event arrives once, in order, before the live ones.
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

    /** Disconnects every socket of this connection with {@code reason} (the session is closing). */
    void closeSockets(String reason) {
        for (RealtimeSocket socket : List.copyOf(sockets.values())) {
            socket.close(reason);
        }
    }

    int socketCount() {
        return sockets.size();
    }
}
