package relaylab.realtime.client;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import relaylab.realtime.protocol.Outbound;

import javax.net.ssl.SSLContext;

import java.net.URI;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;

/**
 * One WebSocket connection attempt of a {@link RealtimeClient} (Java-WebSocket): sends Engine.IO text and binary
 * messages and hands what arrives, and its end, to the client. A reconnection is a new transport.
 */
final class ClientTransport extends WebSocketClient {
    private static final System.Logger LOG = System.getLogger("relaylab.realtime");

    /** What the transport tells its client; each call names the transport, so that a stale one can be ignored. */
    interface Listener {
        void onText(ClientTransport transport, String text);

        void onBinary(ClientTransport transport, byte[] data);

        void onClosed(ClientTransport transport, String detail);

        void onError(ClientTransport transport, Exception error);
    }

    private final Listener listener;

    ClientTransport(URI uri, SSLContext sslContext, Listener listener) {
        super(uri);
        this.listener = listener;
        setConnectionLostTimeout(0);
        setDaemon(true);
        if ("wss".equals(uri.getScheme())) {
            try {
                SSLContext context = sslContext != null ? sslContext : SSLContext.getDefault();
                setSocketFactory(context.getSocketFactory());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default SSLContext for " + uri + "; pass one with o.sslContext(...)", e);
            }
        }
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

    @Override
    public void onOpen(ServerHandshake handshake) {
        // the server speaks first (open packet)
    }

    @Override
    public void onMessage(String message) {
        listener.onText(this, message);
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] data = new byte[bytes.remaining()];
        bytes.get(data);
        listener.onBinary(this, data);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        listener.onClosed(this, "connection closed (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
    }

    @Override
    public void onError(Exception ex) {
        listener.onError(this, ex);
        LOG.log(System.Logger.Level.DEBUG, () -> "client WebSocket error: " + ex);
    }
}
