import java.net.URI;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * The plain WebSocket under lesson 07's WireClient (Java-WebSocket's client): it traces the opening and
 * the closing, and hands each text frame, the end of the connection and any error to WireClient.
 * Nothing to write here.
 */
final class FrameSocket extends WebSocketClient {
    private final Consumer<String> onFrame;
    private final Consumer<String> onClosed;
    private final Consumer<Exception> onError;
    private final Consumer<String> trace;

    FrameSocket(URI uri, Consumer<String> onFrame, Consumer<String> onClosed, Consumer<Exception> onError,
            Consumer<String> trace) {
        super(uri);
        this.onFrame = onFrame;
        this.onClosed = onClosed;
        this.onError = onError;
        this.trace = trace;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        trace.accept("(WebSocket open: " + handshake.getHttpStatus() + " " + handshake.getHttpStatusMessage() + ")");
    }

    @Override
    public void onMessage(String frame) {
        trace.accept("← " + frame);
        onFrame.accept(frame);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        String closed = code + (reason.isEmpty() ? "" : " " + reason);
        trace.accept("(WebSocket closed: " + closed + ")");
        onClosed.accept(closed);
    }

    @Override
    public void onError(Exception e) {
        onError.accept(e);
    }
}
