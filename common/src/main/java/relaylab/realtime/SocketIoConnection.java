package relaylab.realtime;

import relaylab.realtime.internal.SerialExecutor;
import relaylab.realtime.protocol.BadPacketException;
import relaylab.realtime.protocol.BinaryAssembler;
import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.Packet;
import relaylab.realtime.protocol.PacketCodec;
import relaylab.realtime.protocol.PacketType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static relaylab.realtime.protocol.PacketCodec.abbreviate;

/**
 * The Socket.IO connection of one client (socket.io's "Client"), on top of its {@link EngineSession}: decodes
 * Socket.IO packets, puts binary ones back together, joins namespaces (CONNECT, through the namespace's
 * middlewares: {@link NamespaceJoin}), leaves them (DISCONNECT), routes events to the namespace's {@link RealtimeSocket}
 * and acks to the socket that waits for them, holds the client's reading back while too many of its packets wait, and
 * closes the session when no CONNECT came within {@code connectTimeout}.
 */
final class SocketIoConnection {
    private static final System.Logger LOG = EngineSession.LOG;
    /** The disconnect reason when the client broke the namespace rules (socket.io's client.close()). */
    static final String FORCED_CLOSE = "forced server close";
    private static final int NOTES = 10;

    final EngineSession session;
    final RealtimeServer server;
    final SerialExecutor inbox;
    /** The sockets of the namespaces joined, by namespace name. */
    final Map<String, RealtimeSocket> sockets = new ConcurrentHashMap<>(2);
    private final NamespaceJoin join;
    // only touched by the inbox
    private final BinaryAssembler assembler = new BinaryAssembler();
    // packets queued for the inbox and not handled yet (acks do not count), and what to do once they are few again
    private final AtomicInteger inbound = new AtomicInteger();
    private Runnable whenDrained; // guarded by this
    // a BINARY_ACK waiting for its attachments; only touched by the transport's thread (messages arrive in order)
    private String ackText;
    private List<byte[]> ackAttachments;
    private int ackExpected;
    // notes logged about this client (unhandled events, late acks...); racy on purpose: it is only a budget
    private int notes;
    // guarded by the session's lock
    private ScheduledFuture<?> connectTimer;

    SocketIoConnection(EngineSession session, Map<String, String> query, Map<String, List<String>> headers) {
        this.session = session;
        this.server = session.server;
        this.inbox = session.inbox;
        this.join = new NamespaceJoin(this, query, headers);
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
            String note = EngineSession.CLOSE_LINES.spend();
            if (note != null) {
                LOG.log(System.Logger.Level.INFO, "connection " + session.sid + " from " + session.address + " sent no CONNECT"
                        + " within " + server.config.connectTimeout.toMillis() + " ms; closing it" + note);
            }
            session.close("connect timeout");
        }
    }

    // ------------------------------------------------------------------ receiving

    /** A Socket.IO packet (an Engine.IO message without its '4'), as received on the transport's thread. */
    void onMessage(String payload) {
        if (payload.startsWith("3")) {
            // acks skip the per-connection queue: a handler blocked on emitWithAck(...).get() still gets its answer
            server.executor().execute(() -> onAck(payload));
            return;
        }
        if (payload.startsWith("6")) {
            int count = binaryAckAttachments(payload);
            if (count > 0) {
                // a BINARY_ACK takes the same fast path once its attachments are in (they follow it on this thread)
                ackText = payload;
                ackAttachments = new ArrayList<>(count);
                ackExpected = count;
                return;
            }
        }
        inbound.incrementAndGet();
        inbox.execute(() -> {
            try {
                onPacket(payload);
            } finally {
                drained();
            }
        });
    }

    /** A binary message: an attachment of the binary packet announced before. */
    void onBinary(byte[] data) {
        if (ackExpected > 0) {
            ackAttachments.add(data);
            if (ackAttachments.size() == ackExpected) {
                String text = ackText;
                List<byte[]> attachments = ackAttachments;
                ackText = null;
                ackAttachments = null;
                ackExpected = 0;
                server.executor().execute(() -> onBinaryAck(text, attachments));
            }
            return;
        }
        inbound.incrementAndGet();
        inbox.execute(() -> {
            try {
                onAttachment(data);
            } finally {
                drained();
            }
        });
    }

    /** The attachment count of a well-formed BINARY_ACK header ("6<n>-..."), or 0 to leave it to the inbox's checks. */
    private int binaryAckAttachments(String payload) {
        int dash = payload.indexOf('-');
        if (dash < 2 || dash > 4) {
            return 0;
        }
        for (int i = 1; i < dash; i++) {
            if (!Character.isDigit(payload.charAt(i))) {
                return 0;
            }
        }
        int n = Integer.parseInt(payload, 1, dash, 10);
        return n <= server.config.maxAttachments ? n : 0;
    }

    private void onBinaryAck(String text, List<byte[]> attachments) {
        if (session.closed()) {
            return;
        }
        try {
            BinaryAssembler acks = new BinaryAssembler();
            Packet complete = acks.packet(PacketCodec.decode(text));
            for (byte[] attachment : attachments) {
                complete = acks.attachment(attachment);
            }
            handle(complete);
        } catch (BadPacketException e) {
            fail(e.getMessage() + " (packet: " + abbreviate(text) + ")");
        }
    }

    // ------------------------------------------------------------------ inbound backpressure

    /** True when {@code maxInboundPackets} packets wait for this client's handlers: its transport stops reading. */
    boolean inboundFull() {
        return inbound.get() >= server.config.maxInboundPackets;
    }

    /**
     * Runs {@code resume} (resume reading, answer the held POST) once at most half of {@code maxInboundPackets}
     * wait; at once when that is already so. From the transport's thread, after {@link #inboundFull()} said true.
     */
    void whenDrained(Runnable resume) {
        boolean now;
        synchronized (this) {
            now = inbound.get() <= server.config.maxInboundPackets / 2;
            if (!now) {
                whenDrained = resume;
            }
        }
        if (now) {
            resume.run();
        }
    }

    /** A queued packet was handled. */
    private void drained() {
        if (inbound.decrementAndGet() > server.config.maxInboundPackets / 2) {
            return;
        }
        Runnable resume;
        synchronized (this) {
            resume = whenDrained;
            whenDrained = null;
        }
        if (resume != null) {
            resume.run();
        }
    }

    /** Logs that reading from this client pauses (once per client and pause, within its notes budget). */
    void notePaused(String transport) {
        if (mayNote()) {
            LOG.log(System.Logger.Level.INFO, "connection " + session.sid + " from " + session.address + ": "
                    + inbound.get() + " packets wait for its handlers (maxInboundPackets " + server.config.maxInboundPackets
                    + "); reading paused" + transport + " until half of them are handled");
        }
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
        if (packet.attachments() > server.config.maxAttachments) {
            fail("a binary packet announcing " + packet.attachments() + " attachments, more than maxAttachments "
                    + server.config.maxAttachments);
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
        if (packet.type() == PacketType.CONNECT) {
            join.connect(packet);
            return;
        }
        RealtimeSocket socket = sockets.get(packet.namespace());
        if (socket == null) {
            // like socket.io: a packet for a namespace the client has not joined (or is still joining) ends the client
            session.fail(packet.type() + " for namespace " + abbreviate(packet.namespace())
                    + " before CONNECT (or after leaving it)", FORCED_CLOSE);
            return;
        }
        switch (packet.type()) {
            case DISCONNECT -> socket.close("client namespace disconnect");
            case EVENT, BINARY_EVENT -> socket.dispatch(packet.eventName(), packet.arguments(), packet.ackId());
            case ACK, BINARY_ACK -> socket.receiveAck(packet.ackId(), packet.arguments());
            default -> fail("unexpected packet type " + packet.type().digit());
        }
    }

    /**
     * True while this client may still get an INFO line about what it sends (an unhandled event, a late ack):
     * the first {@value #NOTES} times; then one line says the rest is left out, so that one client cannot flood the log.
     */
    boolean mayNote() {
        int n = ++notes;
        if (n == NOTES + 1) {
            LOG.log(System.Logger.Level.INFO, "connection " + session.sid + " from " + session.address + ": " + NOTES
                    + " notes logged about this client; further ones are left out until it disconnects");
        }
        return n <= NOTES;
    }

    // ------------------------------------------------------------------ namespaces

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
