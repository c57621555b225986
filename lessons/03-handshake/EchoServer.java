import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.xnio.Pooled;
import relaylab.realtime.Logs;

/**
 * A real WebSocket server (Undertow) for the lesson to talk to by hand: at {@code /echo} it says
 * "welcome" first, then sends back every text or binary message it gets. Undertow checks the
 * learner's handshake and frames with its own implementation and closes the connection on bad ones.
 */
final class EchoServer implements AutoCloseable {
    static final String WELCOME = "welcome: this server spoke first";

    static {
        Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; the lesson prints its own trace
    }

    private final Undertow undertow;

    EchoServer(int port) {
        undertow = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(Handlers.path().addExactPath("/echo", Handlers.websocket((exchange, channel) -> {
                    WebSockets.sendText(WELCOME, channel, null);
                    channel.getReceiveSetter().set(new Echo());
                    channel.resumeReceives();
                })))
                .build();
        undertow.start();
    }

    int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }

    /** Sends each message back as it came: text as text, binary as binary. Close frames are answered by Undertow. */
    private static final class Echo extends AbstractReceiveListener {
        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            WebSockets.sendText(message.getData(), channel, null);
        }

        @Override
        @SuppressWarnings("deprecation") // Undertow still hands binary messages over as a Pooled buffer
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            Pooled<ByteBuffer[]> data = message.getData();
            try {
                WebSockets.sendBinary(WebSockets.mergeBuffers(data.getResource()), channel, null);
            } finally {
                data.free();
            }
        }
    }
}
