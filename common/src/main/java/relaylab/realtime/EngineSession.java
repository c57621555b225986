package relaylab.realtime;

import io.undertow.server.HttpServerExchange;
import io.undertow.websockets.core.WebSocketChannel;
import org.xnio.IoUtils;
import relaylab.realtime.internal.SerialExecutor;
import relaylab.realtime.protocol.EnginePacketType;
import relaylab.realtime.protocol.Outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static relaylab.realtime.protocol.PacketCodec.abbreviate;

/**
 * One Engine.IO session: its {@link Heartbeat}, sending over the current transport (WebSocket, or long-polling through
 * its {@link PollingTransport}), the upgrade from polling to a probed WebSocket, and closing. The Socket.IO
 * connection on top of it is its {@link SocketIoConnection}. Small on purpose: no thread, no buffer while idle;
 * timers live on the server's single scheduler; incoming packets are handled in order by a {@link SerialExecutor}.
 */
final class EngineSession {
    static final System.Logger LOG = CoreLog.LOG;
    /** Lines about connections closed for what their client did (or did not do): at most 20 a second in all. */
    static final LogBudget CLOSE_LINES = new LogBudget(20);

    final String sid;
    final RealtimeServer server;
    final SerialExecutor inbox;
    final String address;
    final SocketIoConnection socketIo;
    /** The long-polling side; null for a session opened on a WebSocket. */
    final PollingTransport polling;
    private final Heartbeat heartbeat;

    // all fields below are guarded by "this" (reads of ws may skip the lock); so are the polling transport's
    private volatile WebSocketChannel ws;
    private volatile WebSocketWriter wsWriter; // ws's writer, set with it
    // while a connection handler runs, outgoing packets wait here so that CONNECT goes out first
    private volatile boolean holding;
    private List<Outbound> held;
    private WebSocketChannel probe;
    // the probe answered "3probe": the client pauses polling and waits for its current GET to return
    private boolean probed;
    private boolean pollingDone;
    private volatile boolean closed;
    private volatile boolean clientClosed;

    EngineSession(String sid, RealtimeServer server, boolean polling, Map<String, String> query,
                  Map<String, List<String>> headers, String address) {
        this.sid = sid;
        this.server = server;
        this.inbox = new SerialExecutor(server.executor());
        this.address = address;
        this.polling = polling ? new PollingTransport(this) : null;
        this.socketIo = new SocketIoConnection(this, query, headers);
        this.heartbeat = new Heartbeat(this);
    }

    /** The open packet for this session. */
    String openPacket() {
        RealtimeConfig cfg = server.config;
        return EnginePacketType.OPEN.digit() + "{\"sid\":\"" + sid + "\",\"upgrades\":"
                + (polling != null ? "[\"websocket\"]" : "[]") + ",\"pingInterval\":" + cfg.pingInterval.toMillis()
                + ",\"pingTimeout\":" + cfg.pingTimeout.toMillis() + ",\"maxPayload\":" + cfg.maxPayload + "}";
    }

    /** Starts the heartbeat and the connect timeout; called once the open packet is on its way. */
    void start() {
        if (!socketIo.startConnectTimer()) {
            return;
        }
        heartbeat.start();
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
            WebSocketTransport.send(this, channel, packet);
            return;
        }
        PollingTransport.Answer answer = null;
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
                answer = polling.enqueue(packet);
            }
        }
        if (channel != null) {
            WebSocketTransport.send(this, channel, packet);
        } else if (answer != null) {
            answer.send();
        }
    }

    /** Sends only if the transport can take it now (WebSocket, or a pending poll with nothing queued); else drops it. */
    void sendVolatile(Outbound packet) {
        WebSocketChannel channel = ws;
        if (channel != null && !holding) {
            WebSocketTransport.send(this, channel, packet);
            return;
        }
        boolean writable;
        synchronized (this) {
            writable = !closed && held == null && (ws != null || polling.canTakeNow());
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
    synchronized void hold() {
        held = new ArrayList<>(4);
        holding = true;
    }

    /** Sends {@code first} then the packets held back, then goes back to sending directly. */
    void release(Outbound first) {
        PollingTransport.Answer answer = null;
        synchronized (this) {
            List<Outbound> packets = held;
            held = null;
            if (!closed) {
                WebSocketChannel channel = ws;
                if (channel != null) {
                    WebSocketTransport.send(this, channel, first);
                    for (Outbound p : packets) {
                        WebSocketTransport.send(this, channel, p);
                    }
                } else {
                    answer = polling.enqueue(first, packets);
                }
            }
            holding = false;
        }
        if (answer != null) {
            answer.send();
        }
    }

    // ------------------------------------------------------------------ transports and upgrade

    synchronized boolean isPolling() {
        return !closed && polling != null && ws == null && !pollingDone;
    }

    /** A WebSocket opened without sid: this session lives on it from the start. */
    void attachWebSocket(WebSocketChannel channel) {
        wsWriter = WebSocketWriter.of(channel);
        ws = channel;
        channel.addCloseTask(this::onWebSocketClosed);
    }

    /** A WebSocket opened with this sid: a probe for upgrading from polling. False (and closed) if another probe runs. */
    boolean attachProbe(WebSocketChannel channel) {
        synchronized (this) {
            if (closed || probe != null || ws != null || pollingDone) {
                // like the reference server: the WebSocket is accepted, then closed; the session goes on
                LOG.log(System.Logger.Level.INFO, "connection " + sid + ": upgrade attempt refused (" + (closed ? "closed"
                        : probe != null ? "an upgrade is in progress" : "already upgraded") + "); closing that WebSocket");
                WebSocketTransport.closeWithFrame(channel);
                return false;
            }
            probe = channel;
        }
        channel.addCloseTask(this::onWebSocketClosed);
        return true;
    }

    private void onWebSocketClosed(WebSocketChannel channel) {
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
            // answered when it arrives (see PollingTransport.onGet)
            HttpServerExchange exchange;
            synchronized (this) {
                if (closed || probe != channel) {
                    return;
                }
                probed = true;
                exchange = polling.takePendingGet();
            }
            if (exchange != null) {
                polling.respond(exchange, List.of(Outbound.NOOP));
            }
        } else if ("5".equals(text)) {
            HttpServerExchange exchange;
            synchronized (this) {
                if (closed || probe != channel) {
                    return;
                }
                probe = null;
                probed = false;
                pollingDone = true;
                exchange = polling.takePendingGet();
                for (Outbound packet : polling.drain()) {
                    WebSocketTransport.write(channel, packet);
                }
                wsWriter = WebSocketWriter.of(channel);
                ws = channel;
            }
            if (exchange != null) {
                polling.respond(exchange, List.of(Outbound.NOOP));
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + sid + " upgraded to WebSocket");
        } else {
            LOG.log(System.Logger.Level.WARNING, "connection " + sid + ": unexpected packet during upgrade: " + abbreviate(text)
                    + "; closing the probe");
            WebSocketTransport.closeWithFrame(channel);
        }
    }

    /** True when this channel is the probe of an upgrade in progress. */
    synchronized boolean isProbe(WebSocketChannel channel) {
        return channel == probe;
    }

    /** True once the client said "2probe" on the probe: a poll must then be answered at once. Called under the lock. */
    boolean probedLocked() {
        return probed;
    }

    /** True once polling is over (upgraded): a poll is answered with a noop. Called under the lock. */
    boolean pollingDoneLocked() {
        return pollingDone;
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
            return fail("empty Engine.IO packet", "transport error");
        }
        EnginePacketType type = EnginePacketType.ofDigit(text.charAt(0));
        if (type == null) {
            return fail("unknown Engine.IO packet type in " + abbreviate(text), "transport error");
        }
        switch (type) {
            case PONG -> heartbeat.onPong();
            case MESSAGE -> socketIo.onMessage(text.substring(1));
            case CLOSE -> {
                LOG.log(System.Logger.Level.DEBUG, () -> "connection " + sid + " sent close");
                clientClosed = true;
                inbox.execute(() -> close("transport close"));
                return false;
            }
            case NOOP -> {
                // nothing to do
            }
            case PING -> {
                return fail("ping from the client (in Engine.IO v4 the server pings and the client answers 3)",
                        "transport error");
            }
            default -> {
                return fail("unknown Engine.IO packet type in " + abbreviate(text), "transport error");
            }
        }
        return true;
    }

    /** Handles one binary message: an attachment of the pending binary Socket.IO packet. */
    void onBinary(byte[] data) {
        if (!closed) {
            socketIo.onBinary(data);
        }
    }

    /** Logs what the client did wrong and closes the session with {@code reason}; returns false. */
    boolean fail(String what, String reason) {
        String note = CLOSE_LINES.spend();
        if (note != null) {
            LOG.log(System.Logger.Level.WARNING, "connection " + sid + " from " + address + ": " + what + "; closing it" + note);
        }
        close(reason);
        return false;
    }

    // ------------------------------------------------------------------ closing

    /** Closes the session: disconnects its sockets with {@code reason}, stops timers, closes transports. Idempotent. */
    void close(String reason) {
        HttpServerExchange exchange = null;
        WebSocketChannel channel;
        WebSocketChannel probeChannel;
        List<Outbound> batch = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            heartbeat.stop();
            socketIo.cancelConnectTimer();
            if (polling != null) {
                exchange = polling.takePendingGet();
                batch = polling.drain();
            }
            channel = ws;
            probeChannel = probe;
            probe = null;
            probed = false;
        }
        server.removeConnection(this);
        socketIo.closeSockets(reason);
        if (exchange != null) {
            // the client that sent close itself gets a noop on its pending poll, as from the reference server
            batch.add(clientClosed ? Outbound.NOOP : Outbound.CLOSE);
            polling.respond(exchange, batch);
        }
        if (channel != null && channel.isOpen()) {
            // what is queued still goes out, then the close frame, then the socket closes
            WebSocketWriter.of(channel).close();
        }
        if (probeChannel != null) {
            IoUtils.safeClose(probeChannel);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "connection " + sid + " closed: " + reason);
    }

    /** The client's pongs so far (tests read it). */
    int pongs() {
        return heartbeat.pongs();
    }

    synchronized boolean hasPendingPoll() {
        return polling != null && polling.hasPendingGet();
    }

    boolean closed() {
        return closed;
    }
}
