import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import relaylab.workbook.Task;
import relaylab.workbook.Tasks;

/**
 * Lesson 05, part one: the chat on a bare WebSocket server, Java-WebSocket's own WebSocketServer. No events, no rooms,
 * no reconnection: text frames in and out, JSON by hand. The page (bare.html) sends {"text":"hi"}; every frame the
 * server sends is a JSON object with a "type", as the records below say.
 */
final class BareChat extends WebSocketServer {
    /** The frames the server sends, as JSON: {"type":"welcome","you":3}, {"type":"chat","from":3,"text":"hi"}, ... */
    record Welcome(String type, int you) {
        Welcome(int you) { this("welcome", you); }
    }
    record Chat(String type, int from, String text) {
        Chat(int from, String text) { this("chat", from, text); }
    }
    record Problem(String type, String text) {
        Problem(String text) { this("problem", text); }
    }

    /** Every open connection and its user number: who gets a relayed message, and what its "from" says. */
    final Map<WebSocket, Integer> users = new ConcurrentHashMap<>();
    private final AtomicInteger lastNumber = new AtomicInteger();
    /** Completes once the server listens; fails when it cannot (the port is taken, say). */
    final CompletableFuture<BareChat> started = new CompletableFuture<>();
    /** The first unfinished TODO a handler ran into; the run stops with it (see TwoChats). */
    final CompletableFuture<UnsupportedOperationException> unfinished = new CompletableFuture<>();
    /** Where the server writes its log lines: the terminal, or a list in the tests. */
    volatile Consumer<String> log = System.out::println;

    BareChat(InetSocketAddress address) {
        super(address);
        setReuseAddr(true);
    }

    @Override
    public void onStart() {
        started.complete(this);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        int number = lastNumber.incrementAndGet();
        log.accept("User " + number + " connected from " + conn.getRemoteSocketAddress());
        welcome(conn, number);
    }

    @Override
    public void onMessage(WebSocket conn, String frame) {
        try {
            String text = TwoChats.textOf(frame);
            log.accept("  User " + users.get(conn) + " says: " + text);
            relay(conn, text);
        } catch (IllegalArgumentException e) {
            log.accept("  User " + users.get(conn) + " sent a bad message: " + e.getMessage());
            conn.send(json(new Problem(e.getMessage())));
        }
    }

    @Override
    public void onError(WebSocket conn, Exception error) {
        if (error instanceof UnsupportedOperationException todo && Tasks.todoNumber(todo.getMessage()) != null) {
            unfinished.complete(todo);
        } else if (conn != null) {
            broken(conn, error);
        } else if (!started.completeExceptionally(error)) {   // the server itself failed, after it started
            log.accept("The bare chat server failed: " + error);
        }
    }

    @Task(number = 1, title = "Welcome each connection with its number",
            hint = "Remember the connection: users.put(conn, number). Then tell it who it is, as JSON:"
                    + " conn.send(json(new Welcome(number))) sends {\"type\":\"welcome\",\"you\":3}.")
    void welcome(WebSocket conn, int number) {
        users.put(conn, number);
        conn.send(json(new Welcome(number)));
    }

    @Task(number = 2, title = "Relay every message to everyone, labelled with its sender",
            hint = "String frame = json(new Chat(users.get(from), text)); then broadcast(frame, users.keySet()): Java-WebSocket"
                    + " sends it to each of them, the sender too, and skips one that is already closing, where a plain"
                    + " loop of conn.send(frame) would stop at it with a WebsocketNotConnectedException.")
    void relay(WebSocket from, String text) {
        broadcast(json(new Chat(users.get(from), text)), users.keySet());
    }

    @Task(number = 3, title = "Forget closed tabs, survive broken ones",
            hint = "onClose: users.remove(conn) gives the number (null if broken() forgot it first); log \"User N left (code)\"."
                    + " broken: the same remove, log \"User N broke: \" + error.getMessage(), then"
                    + " conn.close(CloseFrame.UNEXPECTED_CONDITION, ...) and return: never rethrow, never stop the server.")
    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Integer number = users.remove(conn);
        if (number != null) {
            log.accept("User " + number + " left (" + code + ")");
        }
    }

    void broken(WebSocket conn, Exception error) {
        Integer number = users.remove(conn);
        log.accept("User " + number + " broke: " + error.getMessage());
        conn.close(CloseFrame.UNEXPECTED_CONDITION, "broken: " + error.getClass().getSimpleName());
    }

    /** The frame as JSON text, e.g. {"type":"welcome","you":3}. */
    static String json(Object frame) {
        return TwoChats.json(frame);
    }
}
