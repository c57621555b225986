import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import relaylab.httpchat.ChatClient;
import relaylab.httpchat.ChatMessage;
import relaylab.httpchat.ChatUser;
import relaylab.httpchat.WebSocketUser;

/**
 * The three ways lesson 04 moves the same chat: asking every few milliseconds, asking and being held
 * until there is news, and one WebSocket per user. The two polling users are lesson 02's loops,
 * finished; nothing to write here.
 */
enum Transport {
    /** {@code GET /messages?since=N} every interval. */
    SHORT_POLLING("short polling"),
    /** {@code GET /messages?since=N&wait=...}, asked again as soon as it returns. */
    LONG_POLLING("long polling"),
    /** One WebSocket at {@code /ws}: messages go both ways on it, the server pushes. */
    WEBSOCKET("WebSocket");

    /** How long the server may hold a long-polling request. */
    static final Duration LONG_POLL_WAIT = Duration.ofSeconds(10);

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** How the lesson's table names it, e.g. "short polling". */
    String label() {
        return label;
    }

    /**
     * Connects a user named {@code name} to the chat at {@code baseUrl}; messages written by other
     * users go to {@code inbox} from the user's own thread. {@code interval} is how often a
     * short-polling user asks (the others ignore it).
     */
    ChatUser join(String baseUrl, String name, Duration interval, Consumer<ChatMessage> inbox)
            throws IOException, InterruptedException {
        return switch (this) {
            case SHORT_POLLING -> new PollingUser(baseUrl, name, interval, inbox);
            case LONG_POLLING -> new PollingUser(baseUrl, name, null, inbox);
            case WEBSOCKET -> WebSocketUser.connect(baseUrl, name, inbox);
        };
    }

    /** A chat user that polls on its own thread: every interval (short) or holding requests (long, interval null). */
    static final class PollingUser implements ChatUser {
        private final ChatClient client;
        private final String name;
        private final Duration interval;
        private final Consumer<ChatMessage> inbox;
        private final Thread thread;
        private volatile boolean running = true;

        PollingUser(String baseUrl, String name, Duration interval, Consumer<ChatMessage> inbox) {
            this.client = new ChatClient(baseUrl);
            this.name = name;
            this.interval = interval;
            this.inbox = inbox;
            this.thread = new Thread(this::poll, "poll-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void poll() {
            long last = 0;
            try {
                while (running) {
                    for (ChatMessage message : interval == null ? client.fetch(last, LONG_POLL_WAIT) : client.fetch(last)) {
                        last = Math.max(last, message.id());
                        if (!message.user().equals(name)) {
                            inbox.accept(message);
                        }
                    }
                    if (interval != null) {
                        Thread.sleep(interval.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                if (running) {
                    System.getLogger("relaylab.lesson04").log(System.Logger.Level.WARNING, name + " stopped polling: " + e);
                }
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void send(String text) throws IOException, InterruptedException {
            client.post(name, text);
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
