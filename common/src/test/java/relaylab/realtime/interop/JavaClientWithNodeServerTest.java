package relaylab.realtime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.client.RealtimeClient;

/**
 * relaylab's Java RealtimeClient against the official socket.io 4 server (Node.js, exact version in
 * src/test/node/package-lock.json).
 */
@DisplayName("Java RealtimeClient against the official Node socket.io server")
class JavaClientWithNodeServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(15);

    private NodeScript server;
    private int port;
    private final java.util.List<RealtimeClient> clients = new java.util.ArrayList<>();

    @BeforeEach
    void start() {
        NodeScript.assumeNodeAndPackages();
        server = NodeScript.start("server.js");
        port = server.await("listening", WAIT).path("port").asInt();
    }

    @AfterEach
    void stop() {
        clients.forEach(RealtimeClient::close);
        if (server != null) {
            server.close();
        }
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Connects a client that records what it sees into {@code seen}. */
    private RealtimeClient client(Observed seen, java.util.function.Consumer<relaylab.realtime.client.ClientOptions> options) {
        RealtimeClient c = RealtimeClient.connect(url(), o -> {
            o.reconnectionDelay(Duration.ofMillis(100)).reconnectionDelayMax(Duration.ofMillis(500));
            options.accept(o);
        });
        clients.add(c);
        c.onConnect(() -> seen.record("connected"));
        c.onDisconnect(reason -> seen.record("disconnect " + reason));
        c.on("connect_error", args -> seen.record("connect_error " + args));
        c.onAny((event, args) -> seen.record("event " + event + " " + args));
        return c;
    }

    @Test
    @DisplayName("Connects with auth; events and acknowledgements go both ways")
    void eventsAndAcksBothWays() throws Exception {
        Observed seen = new Observed("the Java client");
        RealtimeClient c = client(seen, o -> o.auth(Map.of("token", "ok")));
        c.on("question", (args, ack) -> ack.send("java says " + args.get(0)));
        c.awaitConnected(WAIT);
        assertThat(server.await("connection", WAIT).path("auth").toString()).as("the auth object reached the server")
                .isEqualTo("{\"token\":\"ok\"}");
        assertThat(seen.await("event welcome", WAIT)).as("server -> client event")
                .isEqualTo("event welcome [{id=" + c.id() + ", nsp=/}]");

        List<Object> reply = c.emitWithAck("echo", WAIT, "hi", Map.of("n", 1), List.of(1, 2)).get(10, TimeUnit.SECONDS);
        assertThat(reply).as("client -> server ack").containsExactly("hi", Map.of("n", 1), List.of(1, 2));

        c.emit("echo", "plain");
        assertThat(seen.await("event echo", WAIT)).isEqualTo("event echo [plain]");

        c.emit("ask-client", "ready?");
        assertThat(server.await("client-ack", WAIT).path("args").toString()).as("server -> client ack")
                .isEqualTo("[\"java says ready?\"]");
        assertThat(seen.await("event answer-received", WAIT)).isEqualTo("event answer-received [java says ready?]");
    }

    @Test
    @DisplayName("A namespace with its own middleware: accepted with the right auth, connect_error without")
    void namespaces() throws Exception {
        Observed admin = new Observed("the admin client");
        RealtimeClient c = client(admin, o -> o.namespace("/admin").auth(Map.of("role", "admin")));
        c.awaitConnected(WAIT);
        assertThat(admin.await("event welcome", WAIT)).contains("nsp=/admin");
        assertThat(c.emitWithAck("echo", WAIT, "in admin").get(10, TimeUnit.SECONDS)).containsExactly("in admin");
        server.await("event", WAIT, "nsp", "/admin", "event", "echo");

        Observed guest = new Observed("the guest client");
        client(guest, o -> o.namespace("/admin"));
        assertThat(guest.await("connect_error", WAIT)).contains("admins only");
    }

    @Test
    @DisplayName("A middleware refusal arrives as connect_error with the message and data")
    void refusal() {
        Observed seen = new Observed("the refused client");
        RealtimeClient c = client(seen, o -> o.auth(Map.of("token", "bad")));
        assertThat(seen.await("connect_error", WAIT)).as("message and data of the refusal")
                .contains("not authorized").contains("bad token");
        assertThat(c.connected()).as("refused, so not connected").isFalse();
        assertThat(seen.countExactly("connected")).as("never connected").isZero();
    }

    @Test
    @DisplayName("After the Node server restarts on the same port the Java client reconnects and sends its buffer")
    void reconnects() throws Exception {
        Observed seen = new Observed("the Java client");
        RealtimeClient c = client(seen, o -> { });
        c.awaitConnected(WAIT);
        String firstId = c.id();
        server.send(Map.of("cmd", "stop"));
        server.await("stopped", WAIT);
        assertThat(seen.await("disconnect", WAIT)).isIn("disconnect transport close", "disconnect transport error");
        c.emit("echo", "sent while offline");
        server.send(Map.of("cmd", "start", "port", port));
        seen.await("connected", 2, RECONNECT_WAIT);
        assertThat(c.id()).as("a new session after the restart").isNotEqualTo(firstId);
        assertThat(seen.await("event echo", WAIT)).as("the buffered emit went out after reconnecting")
                .isEqualTo("event echo [sent while offline]");
        assertThat(c.emitWithAck("echo", WAIT, "back").get(10, TimeUnit.SECONDS)).containsExactly("back");
    }
}
