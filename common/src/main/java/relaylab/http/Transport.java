package relaylab.http;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The three ways lesson 04 moves the same chat: asking every few milliseconds, asking and being
 * held until there is news, and one WebSocket per user.
 */
public enum Transport {
    /** {@code GET /messages?since=N} every interval. */
    SHORT_POLLING("short polling"),
    /** {@code GET /messages?since=N&wait=...}, asked again as soon as it returns. */
    LONG_POLLING("long polling"),
    /** One WebSocket at {@code /ws}: messages go both ways on it, the server pushes. */
    WEBSOCKET("WebSocket");

    /** How long the server may hold a long-polling request. */
    public static final Duration LONG_POLL_WAIT = Duration.ofSeconds(10);

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** How the lesson's table names it, e.g. "short polling". */
    public String label() {
        return label;
    }

    /**
     * Connects a user named {@code name} to the chat at {@code baseUrl} (e.g. {@code http://127.0.0.1:PORT}).
     * Messages written by other users are passed to {@code inbox} from the user's own thread;
     * {@code interval} is how often a short-polling user asks (the others ignore it).
     *
     * @throws IOException when the server cannot be reached
     */
    public ChatUser join(String baseUrl, String name, Duration interval, Consumer<ChatMessage> inbox)
            throws IOException, InterruptedException {
        return switch (this) {
            case SHORT_POLLING -> new PollingUser(baseUrl, name, interval, inbox);
            case LONG_POLLING -> new PollingUser(baseUrl, name, null, inbox);
            case WEBSOCKET -> WebSocketUser.connect(baseUrl, name, inbox);
        };
    }
}
