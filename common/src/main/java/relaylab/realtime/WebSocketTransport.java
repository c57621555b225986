package relaylab.realtime;

import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import relaylab.realtime.protocol.Outbound;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

/**
 * The WebSocket transport of one {@link EngineSession} (its main WebSocket, or the probe of an upgrade): reads
 * the client's messages as Undertow parses them and hands them to the session; answers WebSocket pings; sends
 * through the channel's {@link WebSocketWriter}, always on the channel's I/O thread.
 */
final class WebSocketTransport extends AbstractReceiveListener {
    private static final System.Logger LOG = EngineSession.LOG;

    private final EngineSession session;
    private final int max;

    private WebSocketTransport(EngineSession session) {
        this.session = session;
        this.max = session.server.config.maxPayload;
    }

    /** Starts reading {@code channel} (the session's WebSocket or its probe) for {@code session}. */
    static void listen(EngineSession session, WebSocketChannel channel) {
        channel.getReceiveSetter().set(new WebSocketTransport(session));
        channel.resumeReceives();
    }

    /** Sends one packet on {@code channel}, hopping to its I/O thread when called from another thread. */
    static void send(EngineSession session, WebSocketChannel channel, Outbound packet) {
        XnioIoThread io = channel.getIoThread();
        if (Thread.currentThread() == io) {
            write(channel, packet);
        } else {
            try {
                io.execute(() -> write(channel, packet));
            } catch (RejectedExecutionException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "connection " + session.sid + ": send after shutdown dropped");
            }
        }
    }

    /** Queues the packet on the channel's writer (on its I/O thread; callers make sure of it). */
    static void write(WebSocketChannel channel, Outbound packet) {
        if (!channel.isOpen()) {
            return;
        }
        WebSocketWriter.of(channel).send(packet);
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
        String text = message.getData();
        if (session.isProbe(ch)) {
            session.onProbeText(ch, text);
        } else {
            session.onText(text);
            pauseWhenFull(ch);
        }
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
        try (var pooled = message.getData()) {
            if (session.isProbe(ch)) {
                // like the reference server: anything but "2probe" and "5" on the probe ends the probe, not the session
                LOG.log(System.Logger.Level.INFO, "connection " + session.sid + ": binary message on the upgrade probe;"
                        + " closing the probe");
                closeWithFrame(ch);
                return;
            }
            session.onBinary(concat(pooled.getResource()).array());
        }
        pauseWhenFull(ch);
    }

    /**
     * Stops reading this WebSocket while {@code maxInboundPackets} of its packets wait for the handlers: TCP then
     * slows the client down instead of the server queueing without end. Reading resumes when half are handled.
     */
    private void pauseWhenFull(WebSocketChannel ch) {
        SocketIoConnection socketIo = session.socketIo;
        if (!socketIo.inboundFull() || !ch.isOpen()) {
            return;
        }
        ch.suspendReceives();
        socketIo.notePaused("");
        socketIo.whenDrained(() -> {
            try {
                ch.getIoThread().execute(ch::resumeReceives);
            } catch (RejectedExecutionException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "connection " + session.sid + ": not resumed, the server is stopping");
            }
        });
    }

    /** Closes a WebSocket with a close frame (1000) first, e.g. a probe that will not become the session's transport. */
    static void closeWithFrame(WebSocketChannel ch) {
        try {
            WebSockets.sendClose(CloseMessage.NORMAL_CLOSURE, "", ch, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel c, Void context) {
                    IoUtils.safeClose(c);
                }

                @Override
                public void onError(WebSocketChannel c, Void context, Throwable throwable) {
                    IoUtils.safeClose(c);
                }
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "close frame not sent: " + e);
            IoUtils.safeClose(ch);
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
            LOG.log(System.Logger.Level.WARNING, "connection " + session.sid + " sent a WebSocket message larger than"
                    + " maxPayload " + max + " bytes; closing it");
        } else {
            LOG.log(System.Logger.Level.INFO, "connection " + session.sid + ": WebSocket error " + error + "; closing it");
        }
        if (!session.isProbe(ch)) {
            session.close("transport error");
        }
        IoUtils.safeClose(ch);
    }

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
}
