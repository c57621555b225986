package relaylab.httpchat;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** A chat user on one WebSocket (Java-WebSocket's client) to {@link ChatServer}'s {@code /ws}. */
public final class WebSocketUser extends WebSocketClient implements ChatUser {
    private static final System.Logger LOG = System.getLogger("relaylab.httpchat");
    private final String name;
    private final Consumer<ChatMessage> inbox;
    private final CountDownLatch ready = new CountDownLatch(1);

    private WebSocketUser(URI uri, String name, Consumer<ChatMessage> inbox) {
        super(uri);
        this.name = name;
        this.inbox = inbox;
    }

    /**
     * Opens a WebSocket to {@code baseUrl}'s {@code /ws} for the user {@code name} and waits until the
     * server says it is ready; messages of other users then go to {@code inbox}. Called by lesson 04
     * when a user joins over WebSocket.
     *
     * @throws IOException when the socket does not open, or the server does not say ready, within 5 s
     */
    public static WebSocketUser connect(String baseUrl, String name, Consumer<ChatMessage> inbox)
            throws IOException, InterruptedException {
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws");
        WebSocketUser user = new WebSocketUser(uri, name, inbox);
        if (!user.connectBlocking(5, TimeUnit.SECONDS)) {
            throw new IOException("could not open a WebSocket to " + uri + " within 5 s");
        }
        if (!user.ready.await(5, TimeUnit.SECONDS)) {
            user.close();
            throw new IOException("the WebSocket to " + uri + " opened, but the server did not say it was ready within 5 s");
        }
        return user;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(String text) {
        // WebSocketClient.send(String) is the raw frame; this method overrides it, so call super's
        super.send(Json.write(new ChatMessage(0, name, text, System.nanoTime())));
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        LOG.log(System.Logger.Level.DEBUG, () -> name + " opened " + getURI());
    }

    @Override
    public void onMessage(String text) {
        if (text.equals(ChatServer.READY)) {
            ready.countDown();
            return;
        }
        ChatMessage message = Json.message(text);
        if (!message.user().equals(name)) {
            inbox.accept(message);
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        LOG.log(System.Logger.Level.DEBUG, () -> name + " closed: " + code + " " + reason);
    }

    @Override
    public void onError(Exception error) {
        LOG.log(System.Logger.Level.WARNING, name + ": WebSocket error " + error);
    }
}
