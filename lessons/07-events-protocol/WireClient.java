import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import relaylab.workbook.Task;

/**
 * A Socket.IO client made of your codec and a plain WebSocket: no library between you and the wire.
 * Every frame in and out goes to {@code trace} ("→ 40", "← 40{...}"), events go to {@code onEvent}.
 */
final class WireClient implements AutoCloseable {
    private final FrameSocket socket;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wire-client-acks");
        t.setDaemon(true);
        return t;
    });
    private final PendingAcks acks = new PendingAcks(timers);
    private final CompletableFuture<String> connected = new CompletableFuture<>();
    private final BiConsumer<String, JsonNode> onEvent;
    private final Consumer<String> trace;
    private final List<String> problems = new CopyOnWriteArrayList<>();

    private WireClient(URI uri, BiConsumer<String, JsonNode> onEvent, Consumer<String> trace) {
        this.socket = new FrameSocket(uri, this::receive,
                closed -> connected.completeExceptionally(new IllegalStateException("the connection closed (" + closed
                        + ") before the CONNECT was answered")),
                error -> {
                    problems.add(error.toString());
                    connected.completeExceptionally(new IllegalStateException("WebSocket error: " + error.getMessage(), error));
                }, trace);
        this.onEvent = onEvent;
        this.trace = trace;
    }

    /** Opens a WebSocket to the Socket.IO endpoint of {@code httpUrl} (e.g. "http://127.0.0.1:3000"); returns at once. */
    static WireClient connect(String httpUrl, BiConsumer<String, JsonNode> onEvent, Consumer<String> trace) {
        URI uri = URI.create(httpUrl.replaceFirst("^http", "ws") + "/socket.io/?EIO=4&transport=websocket");
        WireClient client = new WireClient(uri, onEvent, trace);
        client.socket.connect();
        return client;
    }

    /** Waits until the server accepted our CONNECT; returns the socket id, or throws what went wrong. */
    String awaitConnected(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Sends an EVENT on "/" without waiting for an answer. */
    void emit(String event, Object... args) {
        send(Packets.encode(Packet.event("/", Packets.NO_ACK, event, args)));
    }

    /** Sends an EVENT with an ack id; the future completes with the ACK's data or fails after {@code timeout}. */
    CompletableFuture<JsonNode> emitWithAck(String event, Duration timeout, Object... args) {
        PendingAcks.Call call = acks.expect(event, timeout);
        send(Packets.encode(Packet.event("/", call.id(), event, args)));
        return call.reply();
    }

    /** The frames that could not be read, with the reason (empty when all went well). */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Closes the WebSocket and stops the ack timers. */
    @Override
    public void close() {
        socket.close();
        timers.shutdownNow();
    }

    private void send(String frame) {
        trace.accept("→ " + frame);
        socket.send(frame);
    }

    @Task(number = 5, title = "Speak to a real server",
            hint = "Look at frame.charAt(0). '0' (Engine.IO open): send the CONNECT to \"/\" (encode(Packet.connect(\"/\","
                    + " null))). '2' (ping): send \"3\". '4': decode the frame and switch on its type: CONNECT completes"
                    + " `connected` with data.get(\"sid\").asText(), CONNECT_ERROR fails it, EVENT goes to"
                    + " onEvent.accept(name, args), ACK goes to acks.resolve(packet). Ignore anything else.")
    void handle(String frame) {
        // TODO 5: answer open with a CONNECT and ping with pong; decode "4..." frames and dispatch them by type (task 5)
        throw new UnsupportedOperationException("TODO 5: handle a frame from the server");
    }

    /** Each text frame from the server: handle() it; a frame that cannot be read is noted in problems() and traced. */
    private void receive(String frame) {
        try {
            handle(frame);
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
            trace.accept("  ! " + e.getMessage());
            if (e instanceof UnsupportedOperationException) {
                connected.completeExceptionally(e);
            }
        }
    }
}
