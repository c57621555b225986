package relaylab.realtime.client;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import relaylab.realtime.protocol.EnginePacketType;
import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.PacketCodec;

import javax.net.ssl.SSLContext;

import java.net.URI;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection attempt of a {@link RealtimeClient}: a WebSocket (Java-WebSocket) and the Engine.IO session on it.
 * It reads the open packet, answers pings and declares the server dead when no ping came within pingInterval +
 * pingTimeout, gives up when the attempt takes longer than connectTimeout, and hands Socket.IO packets to the
 * client. A reconnection is a new transport.
 */
final class ClientTransport extends WebSocketClient {
    private static final System.Logger LOG = System.getLogger("relaylab.realtime");

    /** What the transport tells its client; each call names the transport, so that a stale one can be ignored. */
    interface Listener {
        /** The Engine.IO session is open: time to send the Socket.IO CONNECT. */
        void onOpen(ClientTransport transport);

        /** A Socket.IO packet (an Engine.IO message without its '4'). */
        void onMessage(ClientTransport transport, String text);

        void onBinary(ClientTransport transport, byte[] data);

        /** A heartbeat ping arrived (and was answered unless answerPings is off). */
        void onPing(ClientTransport transport);

        /**
         * The WebSocket closed. {@code reason} is what the transport knows ("ping timeout", "connect timeout",
         * "transport close") or null; {@code detail} describes the close for error messages.
         */
        void onClosed(ClientTransport transport, String reason, String detail);

        void onError(ClientTransport transport, Exception error);
    }

    private final Listener listener;
    private final ScheduledExecutorService timers;
    private final boolean answerPings;
    private final String url;
    // guarded by "this"
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> attemptTimer;
    private long heartbeatMillis;
    private String reason;
    private boolean ended;

    ClientTransport(URI uri, ClientOptions options, ScheduledExecutorService timers, String url, Listener listener) {
        super(uri);
        this.listener = listener;
        this.timers = timers;
        this.answerPings = options.answerPings;
        this.url = url;
        setConnectionLostTimeout(0);
        setDaemon(true);
        if ("wss".equals(uri.getScheme())) {
            try {
                SSLContext context = options.sslContext != null ? options.sslContext : SSLContext.getDefault();
                setSocketFactory(context.getSocketFactory());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default SSLContext for " + uri + "; pass one with o.sslContext(...)", e);
            }
        }
    }

    /** Starts the attempt; it fails with "connect timeout" unless {@link #joined()} is called within {@code timeout}. */
    synchronized void start(Duration timeout) {
        attemptTimer = timers.schedule(this::attemptTimedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        connect();
    }

    /** The client joined its namespace: the attempt succeeded. */
    synchronized void joined() {
        if (attemptTimer != null) {
            attemptTimer.cancel(false);
            attemptTimer = null;
        }
    }

    private void attemptTimedOut() {
        closeBecause("connect timeout");
    }

    /** Ends this attempt for good (the client disconnects): stops its timers and closes the WebSocket. */
    void shutdown() {
        stopTimers();
        close();
    }

    private synchronized void stopTimers() {
        ended = true;
        for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {watchdog, attemptTimer}) {
            if (timer != null) {
                timer.cancel(false);
            }
        }
        watchdog = null;
        attemptTimer = null;
    }

    /** Closes the WebSocket, reporting {@code why} as the reason unless one is known already. */
    void closeBecause(String why) {
        synchronized (this) {
            if (reason == null) {
                reason = why;
            }
        }
        close();
    }

    /** Sends an encoded packet and its attachments; dropped when the socket is not open. */
    void send(Outbound packet) {
        if (!isOpen()) {
            return;
        }
        try {
            super.send(packet.text());
            if (packet.attachments() != null) {
                for (byte[] a : packet.attachments()) {
                    super.send(a);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "client send failed: " + e);
        }
    }

    @Override
    public void send(String text) {
        if (!isOpen()) {
            return;
        }
        try {
            super.send(text);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "client send failed: " + e);
        }
    }

    // ------------------------------------------------------------------ Engine.IO

    @Override
    public void onOpen(ServerHandshake handshake) {
        // the server speaks first (open packet)
    }

    @Override
    public void onMessage(String text) {
        EnginePacketType type = text.isEmpty() ? null : EnginePacketType.ofDigit(text.charAt(0));
        if (type == null) {
            LOG.log(System.Logger.Level.DEBUG, () -> "client ignored Engine.IO packet " + PacketCodec.abbreviate(text));
            return;
        }
        switch (type) {
            case OPEN -> onOpenPacket(text.substring(1));
            case PING -> {
                if (answerPings) {
                    send(String.valueOf(EnginePacketType.PONG.digit()));
                }
                armWatchdog();
                listener.onPing(this);
            }
            case CLOSE -> closeBecause("transport close");
            case MESSAGE -> listener.onMessage(this, text.substring(1));
            default -> LOG.log(System.Logger.Level.DEBUG, () -> "client ignored Engine.IO packet " + PacketCodec.abbreviate(text));
        }
    }

    private void onOpenPacket(String json) {
        try {
            Map<?, ?> open = PacketCodec.MAPPER.readValue(json, Map.class);
            long interval = ((Number) open.get("pingInterval")).longValue();
            long timeout = ((Number) open.get("pingTimeout")).longValue();
            synchronized (this) {
                heartbeatMillis = interval + timeout;
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "invalid open packet from " + url + ": " + e.getMessage());
            close();
            return;
        }
        armWatchdog();
        listener.onOpen(this);
    }

    private void armWatchdog() {
        synchronized (this) {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (ended) {
                return;
            }
            watchdog = timers.schedule(() -> {
                LOG.log(System.Logger.Level.INFO, "no ping from " + url + " within " + heartbeatMillis + " ms; reconnecting");
                closeBecause("ping timeout");
            }, heartbeatMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] data = new byte[bytes.remaining()];
        bytes.get(data);
        listener.onBinary(this, data);
    }

    @Override
    public void onClose(int code, String closeReason, boolean remote) {
        String known;
        synchronized (this) {
            known = reason;
        }
        stopTimers();
        String detail = "connect timeout".equals(known) ? "timeout"
                : "connection closed (" + code + (closeReason == null || closeReason.isEmpty() ? "" : " " + closeReason) + ")";
        listener.onClosed(this, known, detail);
    }

    @Override
    public void onError(Exception ex) {
        listener.onError(this, ex);
        LOG.log(System.Logger.Level.DEBUG, () -> "client WebSocket error: " + ex);
    }
}
