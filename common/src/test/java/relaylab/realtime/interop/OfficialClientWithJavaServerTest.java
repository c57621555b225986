package relaylab.realtime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The official socket.io-client 4 (Node.js, exact version in src/test/node/package-lock.json) against
 * relaylab's Java RealtimeServer.
 */
@DisplayName("Official socket.io-client (Node) against the Java RealtimeServer")
class OfficialClientWithJavaServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(15);
    private static final List<String> WEBSOCKET_ONLY = List.of("websocket");

    private JavaInteropServer server;
    private NodeScript client;
    private int refs;

    @BeforeEach
    void start() {
        NodeScript.assumeNodeAndPackages();
        server = new JavaInteropServer().start();
        client = NodeScript.start("client.js");
        client.await("ready", WAIT);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void connect(String name, String namespace, Map<String, ?> opts) {
        client.send(Map.of("cmd", "connect", "name", name, "url", server.url() + namespace, "opts", opts));
    }

    private JsonNode connected(String name) {
        return client.await("connect", WAIT, "name", name);
    }

    private void emit(String name, String event, Object... args) {
        client.send(Map.of("cmd", "emit", "name", name, "event", event, "args", List.of(args)));
    }

    /** Emits with an acknowledgement callback and returns the arguments the server acknowledged with. */
    private JsonNode emitWithAck(String name, String event, Object... args) {
        int ref = ++refs;
        client.send(Map.of("cmd", "emit", "name", name, "event", event, "args", List.of(args), "ack", true, "ref", ref));
        return client.await("ack", WAIT, "name", name, "ref", String.valueOf(ref)).path("args");
    }

    private JsonNode event(String name, String event) {
        return client.await("event", WAIT, "name", name, "event", event);
    }

    private static Map<String, Object> opts(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    @DisplayName("Connects over WebSocket; events and acknowledgements go both ways")
    void eventsAndAcksBothWays() {
        connect("a", "", opts("transports", WEBSOCKET_ONLY, "auth", Map.of("token", "ok")));
        JsonNode connect = connected("a");
        assertThat(connect.path("id").asText()).as("the client learns its socket id").isNotBlank();
        assertThat(connect.path("transport").asText()).as("transport").isEqualTo("websocket");
        server.await("connection / {token=ok}", WAIT);

        JsonNode welcome = event("a", "welcome");
        assertThat(welcome.path("args").get(0).path("nsp").asText()).as("server -> client event").isEqualTo("/");
        assertThat(welcome.path("args").get(0).path("id").asText()).as("the ids agree").isEqualTo(connect.path("id").asText());

        JsonNode ack = emitWithAck("a", "echo", "hi", Map.of("n", 1), List.of(1, 2, 3));
        assertThat(ack.toString()).as("client -> server ack carries the same arguments back")
                .isEqualTo("[\"hi\",{\"n\":1},[1,2,3]]");

        emit("a", "echo", "plain");
        assertThat(event("a", "echo").path("args").toString()).as("an emit without ack is answered by an event")
                .isEqualTo("[\"plain\"]");

        emit("a", "ask-client", "ready?");
        JsonNode question = event("a", "question");
        assertThat(question.path("ack").asBoolean()).as("the server asked for an acknowledgement").isTrue();
        assertThat(server.await("client-ack /", WAIT)).as("server -> client ack reached the Java server")
                .isEqualTo("client-ack / [client got question]");
        assertThat(event("a", "answer-received").path("args").toString()).isEqualTo("[\"client got question\"]");
    }

    @Test
    @DisplayName("Rooms: a message to a room reaches its members except the sender, and nobody else")
    void rooms() {
        for (String name : List.of("outsider", "sender", "member")) {
            connect(name, "", opts("transports", WEBSOCKET_ONLY));
            connected(name);
        }
        assertThat(emitWithAck("sender", "join", "r1").toString()).isEqualTo("[\"joined r1\"]");
        assertThat(emitWithAck("member", "join", "r1").toString()).isEqualTo("[\"joined r1\"]");

        emit("sender", "to-room", "r1", "hello room");
        assertThat(event("member", "room-message").path("args").toString()).isEqualTo("[\"hello room\"]");

        // Each connection is ordered: once the barrier arrived, a room message sent before it would have too.
        server.server().emit("barrier");
        event("outsider", "barrier");
        event("sender", "barrier");
        assertThat(client.seen("event").stream().filter(e -> e.path("event").asText().equals("room-message"))
                .map(e -> e.path("name").asText()))
                .as("only the other member of r1 got the room message").containsExactly("member");
    }

    @Test
    @DisplayName("Namespaces: /admin has its own middleware, events and acks; unknown ones are refused")
    void namespaces() {
        connect("admin", "/admin", opts("transports", WEBSOCKET_ONLY, "auth", Map.of("role", "admin")));
        connected("admin");
        assertThat(event("admin", "welcome").path("args").get(0).path("nsp").asText()).isEqualTo("/admin");
        assertThat(emitWithAck("admin", "echo", "in admin").toString()).isEqualTo("[\"in admin\"]");
        server.await("event /admin echo [in admin]", WAIT);

        connect("guest", "/admin", opts("transports", WEBSOCKET_ONLY));
        JsonNode refused = client.await("connect_error", WAIT, "name", "guest");
        assertThat(refused.path("message").asText()).as("the /admin middleware's message").isEqualTo("admins only");

        connect("lost", "/nope", opts("transports", WEBSOCKET_ONLY));
        JsonNode unknown = client.await("connect_error", WAIT, "name", "lost");
        assertThat(unknown.path("message").asText()).as("an unknown namespace").isEqualTo("Invalid namespace");
    }

    @Test
    @DisplayName("A middleware refusal arrives as connect_error with its message and data, without retries")
    void authRefusal() {
        connect("bad", "", opts("transports", WEBSOCKET_ONLY, "auth", Map.of("token", "bad")));
        JsonNode refused = client.await("connect_error", WAIT, "name", "bad");
        assertThat(refused.path("message").asText()).isEqualTo("not authorized");
        assertThat(refused.path("data").toString()).as("err.data").isEqualTo("{\"reason\":\"bad token\"}");
        assertThat(refused.path("active").asBoolean()).as("the client does not retry a refusal").isFalse();
        assertThat(client.seen("connect")).as("never connected").isEmpty();
    }

    @Test
    @DisplayName("After the Java server restarts on the same port the client reconnects by itself")
    void reconnects() {
        connect("a", "", opts("transports", WEBSOCKET_ONLY, "reconnectionDelay", 100, "reconnectionDelayMax", 500));
        String firstId = connected("a").path("id").asText();
        server.stop();
        assertThat(client.await("disconnect", WAIT, "name", "a").path("reason").asText())
                .isIn("transport close", "transport error");
        server.startAgain();
        client.await("reconnect", RECONNECT_WAIT, "name", "a");
        String secondId = connected("a").path("id").asText();
        assertThat(secondId).as("a new session").isNotEqualTo(firstId);
        assertThat(emitWithAck("a", "echo", "back again").toString()).isEqualTo("[\"back again\"]");
    }

    @Test
    @DisplayName("HTTP long-polling only: connect, events and acks both ways")
    void pollingOnly() {
        connect("p", "", opts("transports", List.of("polling")));
        assertThat(connected("p").path("transport").asText()).as("transport").isEqualTo("polling");
        event("p", "welcome");
        assertThat(emitWithAck("p", "echo", "over polling", 42).toString()).isEqualTo("[\"over polling\",42]");
        emit("p", "ask-client", "still there?");
        event("p", "question");
        assertThat(server.await("client-ack /", WAIT)).isEqualTo("client-ack / [client got question]");
        event("p", "answer-received");
        assertThat(client.seen("upgrade")).as("no upgrade when only polling is allowed").isEmpty();
    }

    @Test
    @DisplayName("Default transports: starts with polling, upgrades to WebSocket, keeps working")
    void upgrade() {
        connect("u", "", opts());
        assertThat(client.await("open", WAIT, "name", "u").path("transport").asText())
                .as("the official client opens the session with polling").isEqualTo("polling");
        connected("u");
        assertThat(client.await("upgrade", WAIT, "name", "u").path("transport").asText()).isEqualTo("websocket");
        server.await("connection / ", WAIT);
        assertThat(emitWithAck("u", "echo", "after upgrade").toString()).isEqualTo("[\"after upgrade\"]");
        emit("u", "ask-client", "upgraded?");
        event("u", "question");
        event("u", "answer-received");
    }
}
