package relaylab.realtime.client;

import relaylab.realtime.protocol.BadPacketException;
import relaylab.realtime.protocol.BinaryAssembler;
import relaylab.realtime.protocol.EnginePacketType;
import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.Packet;
import relaylab.realtime.protocol.PacketCodec;
import relaylab.realtime.protocol.PacketType;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The connection of one {@link RealtimeClient}, as socket.io-client's Manager: the current {@link ClientTransport}
 * attempt, joining the namespace (CONNECT, CONNECT_ERROR, DISCONNECT), whether connected or stopped for good and why,
 * the next attempt ({@link Reconnection}), and waiting for a connection. Events and acks go to the client.
 * One lock ("this") guards the state, so that an emit either goes out on a joined transport or is kept in order.
 */
final class ClientManager {
    private static final System.Logger LOG = System.getLogger("relaylab.realtime");

    private final URI uri;
    private final String url;
    private final ClientOptions options;
    private final ScheduledExecutorService timers;
    private final ClientListeners listeners;
    private final ClientOutbox outbox;
    private final ClientRecovery recovery;
    private final BiConsumer<ClientTransport, Packet> events;
    private final Reconnection reconnection;

    // guarded by "this"
    private ClientTransport transport;
    private boolean connected;
    private boolean stopped;
    private String id;
    private final BinaryAssembler assembler = new BinaryAssembler();
    // why the client itself ended the connection ("io client disconnect", "io server disconnect", "connect_error")
    private String closeReason;
    private String lastError;
    // the message of the server's CONNECT_ERROR (a middleware or an unknown namespace refused the client)
    private String refusal;

    ClientManager(URI uri, String url, ClientOptions options, ScheduledExecutorService timers, ClientListeners listeners,
                  ClientOutbox outbox, ClientRecovery recovery, BiConsumer<ClientTransport, Packet> events) {
        this.uri = uri;
        this.url = url;
        this.options = options;
        this.timers = timers;
        this.listeners = listeners;
        this.outbox = outbox;
        this.recovery = recovery;
        this.events = events;
        this.reconnection = new Reconnection(options);
    }

    /** What the transports report; each call names its transport, and a stale one is ignored. */
    private final ClientTransport.Listener wire = new ClientTransport.Listener() {
        @Override
        public void onOpen(ClientTransport t) {
            if (current(t)) {
                sendConnect(t);
            }
        }

        @Override
        public void onMessage(ClientTransport t, String text) {
            if (current(t)) {
                onText(t, text);
            }
        }

        @Override
        public void onBinary(ClientTransport t, byte[] data) {
            ClientManager.this.onBinary(t, data);
        }

        @Override
        public void onPing(ClientTransport t) {
            if (current(t)) {
                listeners.firePing();
            }
        }

        @Override
        public void onClosed(ClientTransport t, String reason, String detail) {
            ClientManager.this.onClosed(t, reason, detail);
        }

        @Override
        public void onError(ClientTransport t, Exception ex) {
            synchronized (ClientManager.this) {
                if (t == transport && !connected) {
                    lastError = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
                }
            }
        }
    };

    private synchronized boolean current(ClientTransport t) {
        return t == transport;
    }

    synchronized String id() {
        return connected ? id : null;
    }

    synchronized boolean connected() {
        return connected;
    }

    synchronized boolean active() {
        return !stopped;
    }

    /** Sends on the joined transport; while disconnected keeps the packet (if asked and not stopped) or drops it. */
    synchronized void send(Outbound packet, boolean keepIfDisconnected) {
        if (connected) {
            transport.send(packet);
        } else if (keepIfDisconnected && !stopped) {
            outbox.keep(packet);
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "client not connected; dropped " + PacketCodec.abbreviate(packet.text()));
        }
    }

    /** Waits until connected; see {@link RealtimeClient#awaitConnected}. */
    synchronized void awaitConnected(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!connected) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || stopped) {
                String why = refusal != null ? ": the server refused the connection"
                        : stopped ? ": the client stopped (" + (closeReason != null ? closeReason : "reconnection off or attempts used up") + ")"
                        : " within " + timeout.toMillis() + " ms";
                throw new IllegalStateException("not connected to " + url + " (namespace " + options.namespace + ")" + why
                        + (lastError == null ? "" : "; last error: " + lastError));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the connection", e);
            }
        }
    }

    /** Starts an attempt (the first one, or the one the reconnection timer fired). */
    synchronized void open() {
        if (stopped) {
            return;
        }
        reconnection.started();
        closeReason = null;
        ClientTransport t = new ClientTransport(uri, options, timers, url, wire);
        transport = t;
        t.start(options.connectTimeout);
    }

    /** Disconnects on purpose: DISCONNECT, close, never again. */
    void disconnect() {
        ClientTransport t;
        boolean wasConnected;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            wasConnected = connected;
            t = transport;
            closeReason = "io client disconnect";
            reconnection.cancel();
            if (wasConnected) {
                t.send(PacketCodec.encodeEmpty(PacketType.DISCONNECT, options.namespace));
            }
        }
        if (t != null) {
            t.shutdown();
        }
        if (!wasConnected) {
            outbox.failAll("the client disconnected");
        }
    }

    /** The Engine.IO session is open: joins the namespace with the auth object (computed anew for each attempt). */
    private void sendConnect(ClientTransport t) {
        String auth;
        try {
            Map<String, ?> values = recovery.auth(options.auth.get());   // with {pid, offset} once the server gave a pid
            auth = values.isEmpty() ? "" : PacketCodec.MAPPER.writeValueAsString(values);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "cannot send the auth object of " + url + ": " + e.getMessage()
                    + "; connecting without it");
            auth = "";
        }
        t.send("" + EnginePacketType.MESSAGE.digit() + PacketType.CONNECT.digit() + PacketCodec.namespacePrefix(options.namespace)
                + auth);
    }

    private void onText(ClientTransport t, String text) {
        Packet packet;
        try {
            packet = PacketCodec.decode(text, true);
        } catch (BadPacketException e) {
            LOG.log(System.Logger.Level.WARNING, "invalid packet from " + url + ": " + e.getMessage());
            return;
        }
        if (!packet.namespace().equals(options.namespace)) {
            return;
        }
        Packet complete;
        synchronized (this) {
            try {
                complete = assembler.packet(packet);
            } catch (BadPacketException e) {
                LOG.log(System.Logger.Level.WARNING, "invalid packet from " + url + ": " + e.getMessage());
                return;
            }
        }
        if (complete != null) {
            handle(t, complete);
        }
    }

    private void onBinary(ClientTransport t, byte[] data) {
        Packet done;
        synchronized (this) {
            if (t != transport) {
                return;
            }
            try {
                done = assembler.attachment(data);
            } catch (BadPacketException e) {
                LOG.log(System.Logger.Level.WARNING, "invalid binary packet from " + url + ": " + e.getMessage());
                return;
            }
        }
        if (done != null) {
            handle(t, done);
        }
    }

    private void handle(ClientTransport t, Packet packet) {
        switch (packet.type()) {
            case CONNECT -> joined(t, packet);
            case CONNECT_ERROR -> refused(t, packet);
            case DISCONNECT -> {
                synchronized (this) {
                    stopped = true;
                    closeReason = "io server disconnect";
                }
                t.close();
            }
            default -> events.accept(t, packet);
        }
    }

    private void joined(ClientTransport t, Packet packet) {
        Object sid = packet.data() instanceof Map<?, ?> m ? m.get("sid") : null;
        recovery.connected(packet.data());
        synchronized (this) {
            id = String.valueOf(sid);
            connected = true;
            reconnection.reset();
            lastError = null;
            t.joined();
            outbox.flush(t);
            notifyAll();
        }
        listeners.fire("connect", List.of());
    }

    private void refused(ClientTransport t, Packet packet) {
        Map<?, ?> body = (Map<?, ?>) packet.data();
        String message = String.valueOf(body.get("message"));
        synchronized (this) {
            lastError = message;
            refusal = message;
            stopped = true;
            closeReason = "connect_error";
            reconnection.cancel();
            notifyAll();
        }
        List<Object> args = new ArrayList<>();
        args.add(message);
        args.add(body.get("data"));
        listeners.fire("connect_error", args);
        t.close();
        outbox.failAll("the server refused the connection: " + message);
    }

    private void onClosed(ClientTransport t, String transportReason, String detail) {
        boolean wasConnected;
        String reason;
        boolean reconnect;
        long delay = 0;
        int attemptNumber = 0;
        synchronized (this) {
            if (t != transport) {
                return;
            }
            transport = null;
            wasConnected = connected;
            connected = false;
            assembler.reset();
            reason = closeReason != null ? closeReason : transportReason != null ? transportReason : "transport close";
            if ("connect timeout".equals(reason)) {
                lastError = "timeout";
            } else if (!wasConnected && lastError == null) {
                lastError = detail;
            }
            reconnect = !stopped && reconnection.mayRetry();
            if (reconnect) {
                delay = reconnection.schedule(timers, this::open);
                attemptNumber = reconnection.attempts();
            } else if (!stopped) {
                stopped = true;
            }
            notifyAll();
        }
        if (wasConnected) {
            listeners.fire("disconnect", List.of(reason));
        } else if (!"connect_error".equals(reason) && !"io client disconnect".equals(reason)) {
            List<Object> args = new ArrayList<>();
            args.add(lastError == null ? "connection failed" : lastError);
            args.add(null);
            listeners.fire("connect_error", args);
        }
        if (reconnect) {
            long d = delay;
            LOG.log(System.Logger.Level.DEBUG, () -> "client of " + url + " reconnects in " + d + " ms");
            listeners.fire("reconnect_attempt", List.of(attemptNumber, delay));
        } else if (!wasConnected || stopped) {
            failAllIfStopped();
        }
    }

    private void failAllIfStopped() {
        boolean s;
        synchronized (this) {
            s = stopped;
        }
        if (s) {
            outbox.failAll("the client is disconnected for good");
        }
    }
}
