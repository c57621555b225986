package relaylab.realtime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;

/**
 * Connection state recovery with the official socket.io-client 4.8 (Node.js, version in
 * src/test/node/package-lock.json), and with relaylab's own socket.io.js, against relaylab's Java server: the
 * client's connection drops as if the network failed, the server keeps emitting, and the client comes back with
 * socket.recovered === true, the same id, and the events it missed.
 */
@DisplayName("socket.io clients in Node (the official one and relaylab's socket.io.js) recover their state from the Java server")
class OfficialClientRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private RealtimeServer server;
    private NodeScript client;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch dropped = new CountDownLatch(1);

    @BeforeEach
    void start() {
        NodeScript.assumeNodeAndPackages();
        server = RealtimeServer.create(cfg -> cfg.connectionStateRecovery(Duration.ofMinutes(2), true));
        server.on("connection", socket -> {
            seen.add("connection recovered=" + socket.recovered() + " rooms=" + socket.rooms().size() + " data=" + socket.data());
            if (!socket.recovered()) {
                socket.join("news");
                socket.data().put("name", "ada");
                socket.emit("welcome", "hello");
            }
            socket.onDisconnect(reason -> {
                seen.add("disconnect " + reason);
                dropped.countDown();
            });
        });
        server.start(0);
    }

    private void startClient(String which) {
        client = "official".equals(which) ? NodeScript.start("client.js") : NodeScript.start("client.js", "--module",
                NodeScript.folder().resolve("../../main/resources/relaylab/realtime/socket.io.js").normalize().toString());
        client.await("ready", WAIT);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest(name = "{0} client")
    @ValueSource(strings = {"official", "relaylab"})
    @DisplayName("after a drop: socket.recovered is true, the id is the same, and the missed events arrive in order")
    void recoversAfterADrop(String which) throws InterruptedException {
        startClient(which);
        client.send(Map.of("cmd", "connect", "name", "ada", "url", server.url(),
                "opts", Map.of("transports", List.of("websocket"), "reconnectionDelay", 100, "randomizationFactor", 0)));
        JsonNode first = client.await("connect", WAIT, "name", "ada");
        assertThat(first.path("recovered").asBoolean()).as("socket.recovered on the first connection").isFalse();
        String id = first.path("id").asText();
        JsonNode welcome = client.await("event", WAIT, "name", "ada", "event", "welcome");
        assertThat(welcome.path("args").size()).as("welcome's arguments as the client sees them: text and offset").isEqualTo(2);

        client.send(Map.of("cmd", "drop", "name", "ada"));
        assertThat(dropped.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the server saw the connection drop").isTrue();
        server.to("news").emit("missed", 1);
        server.emit("missed", 2);
        server.to("other room").emit("not for ada", 3);
        server.to(id).emit("missed", 3);

        JsonNode second = client.await("connect", WAIT, "name", "ada");
        assertThat(second.path("recovered").asBoolean()).as("socket.recovered after coming back").isTrue();
        assertThat(second.path("id").asText()).as("socket.id after coming back").isEqualTo(id);
        for (int n = 1; n <= 3; n++) {
            JsonNode missed = client.await("event", WAIT, "name", "ada", "event", "missed");
            assertThat(missed.path("args").get(0).asInt()).as("the missed events, in order").isEqualTo(n);
        }
        RealtimeSocket socket = server.of("/").socket(id);
        assertThat(socket).as("the server's socket with the old id").isNotNull();
        assertThat(socket.recovered()).as("the server socket's recovered()").isTrue();
        assertThat(socket.rooms()).as("its rooms").contains("news");
        assertThat(seen).as("what the server saw").containsExactly("connection recovered=false rooms=1 data={}",
                "disconnect transport close", "connection recovered=true rooms=2 data={name=ada}");
        assertThat(client.seen("event").stream().filter(e -> e.path("event").asText().equals("not for ada")).count())
                .as("events for a room ada is not in").isZero();
    }
}
