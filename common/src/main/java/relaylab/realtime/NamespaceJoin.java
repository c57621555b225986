package relaylab.realtime;

import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.Packet;
import relaylab.realtime.protocol.PacketCodec;
import relaylab.realtime.protocol.PacketType;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static relaylab.realtime.protocol.PacketCodec.abbreviate;

/**
 * How one {@link SocketIoConnection} joins a namespace (socket.io's {@code Client.connect} and {@code Namespace._add}):
 * an unknown namespace or a second CONNECT is refused; the {@link Handshake} is built; with connection state
 * recovery the session is resumed or a new private id given; the namespace's middlewares decide (CONNECT_ERROR with
 * their reason); then the socket is added, the connection handlers run, and the CONNECT answer goes out before
 * anything they emitted, followed by the events a recovered socket missed.
 */
final class NamespaceJoin {
    private static final System.Logger LOG = EngineSession.LOG;

    private final SocketIoConnection c;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers;
    private final Instant time = Instant.now();
    // namespaces whose CONNECT waits for the middlewares; only touched by the inbox; null while none
    private Set<String> joining;

    NamespaceJoin(SocketIoConnection connection, Map<String, String> query, Map<String, List<String>> headers) {
        this.c = connection;
        this.query = query;
        this.headers = headers;
    }

    /** A CONNECT for {@code packet.namespace()}: runs on the inbox. */
    void connect(Packet packet) {
        String name = packet.namespace();
        Namespace namespace = c.server.namespace(name);
        if (namespace == null) {
            LOG.log(System.Logger.Level.INFO, "connection " + c.session.sid + " asked for unknown namespace " + abbreviate(name)
                    + "; refused");
            c.send(PacketCodec.encode(PacketType.CONNECT_ERROR, name, -1, Map.of("message", "Invalid namespace")));
            return;
        }
        if (c.sockets.containsKey(name) || (joining != null && joining.contains(name))) {
            // one socket per namespace and connection: socket.io closes a client that tries for a second one
            c.session.fail("a CONNECT to " + abbreviate(name) + " while " + (c.sockets.containsKey(name) ? "connected to it"
                    : "its previous CONNECT is still decided"), SocketIoConnection.FORCED_CLOSE);
            return;
        }
        if (joining == null) {
            joining = new HashSet<>(2);
        }
        joining.add(name);
        @SuppressWarnings("unchecked")
        Map<String, Object> auth = packet.data() == null ? Map.of() : (Map<String, Object>) packet.data();
        Handshake handshake = new Handshake(auth, query, headers, c.session.address, time);
        ConnectionRecovery recovery = c.server.recovery;
        ConnectionRecovery.Resumption resumption = recovery == null ? null
                : recovery.resume(name, auth.get("pid"), auth.get("offset"));
        if (resumption != null && resumption.refusal() != null) {
            LOG.log(System.Logger.Level.INFO, "connection " + c.session.sid + " could not recover its state on " + name + ": "
                    + resumption.refusal() + "; it starts a fresh session");
        }
        boolean resumed = resumption != null && resumption.session() != null;
        RealtimeSocket socket = resumed
                ? new RealtimeSocket(resumption.session().sid(), resumption.session().pid(), true, namespace, c, handshake)
                : new RealtimeSocket(Ids.next(), recovery == null ? null : ConnectionRecovery.newPid(), false, namespace, c, handshake);
        if (resumed) {
            socket.data().putAll(resumption.session().data());
        }
        Consumer<Namespace.Refusal> admit = refusal -> c.inbox.execute(() -> {
            joining.remove(name);
            if (c.session.closed()) {
                return;
            }
            if (refusal != null) {
                LOG.log(System.Logger.Level.INFO, "connection " + c.session.sid + " refused on " + name + ": " + refusal.message());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("message", refusal.message());
                if (refusal.data() != null) {
                    body.put("data", refusal.data());
                }
                c.send(PacketCodec.encode(PacketType.CONNECT_ERROR, name, -1, body));
                return;
            }
            synchronized (c.session) {
                c.cancelConnectTimer();
            }
            // like the reference server: the connection handlers have run (rooms joined, listeners set)
            // before the client learns it is connected, and what they emit follows the CONNECT answer
            c.session.hold();
            try {
                c.sockets.put(name, socket);
                socket.markConnected();
                if (resumed) {
                    resume(socket, resumption, recovery);
                } else {
                    namespace.add(socket);
                }
                if (c.session.closed()) {
                    // the session closed meanwhile from another thread and may not have seen this socket
                    socket.close("transport close");
                    return;
                }
                namespace.fireConnect(socket);
            } finally {
                c.session.release(PacketCodec.encode(PacketType.CONNECT, name, -1, socket.pid == null
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
                c.send(missed);
            }
        }
    }
}
