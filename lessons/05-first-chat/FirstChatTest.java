import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.EventArgs.firstHas;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.Handshake;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

class FirstChatTest {
    private final List<String> logged = new CopyOnWriteArrayList<>();

    @BeforeEach
    void collectLog() {
        FirstChat.log = logged::add;
    }

    static RealtimeFixture chatServer() {
        return RealtimeFixture.start(FirstChat::configure, FirstChat::setup);
    }

    @Test
    @Tag("task:6")
    @DisplayName("a WebSocket connection is logged as an upgrade, with its socket id, address and Engine.IO version")
    void websocketConnectionIsAnUpgrade() {
        try (RealtimeFixture fx = chatServer()) {
            TestClient client = fx.client();
            RealtimeSocket socket = fx.socketOf(client);
            assertThat(FirstChat.upgradeLine(socket.id(), socket.handshake()))
                    .as("upgradeLine() for a client that connected over WebSocket (query %s, upgrade header %s)",
                            socket.handshake().query(), socket.handshake().headers().get("upgrade"))
                    .isEqualTo(socket.id() + " connected from " + socket.handshake().address()
                            + ": HTTP GET upgraded to WebSocket (EIO=4)");
            fx.sync();
            assertThat(logged).as("what the server logged").contains(FirstChat.upgradeLine(socket.id(), socket.handshake()));
        }
    }

    @Test
    @Tag("task:6")
    @DisplayName("a long-polling connection is logged as not upgraded")
    void pollingConnectionIsNotAnUpgrade() {
        Handshake polling = new Handshake(Map.of(), Map.of("EIO", "4", "transport", "polling"),
                Map.of("host", List.of("localhost:3000")), "127.0.0.1:50000", Instant.now());
        assertThat(FirstChat.upgradeLine("abc", polling)).as("upgradeLine() for a long-polling request without an Upgrade header")
                .isEqualTo("abc connected from 127.0.0.1:50000: HTTP long-polling (EIO=4), not upgraded");
    }

    @Test
    @Tag("task:7")
    @DisplayName("relay() sends the message to every connected client, the sender too")
    void relayReachesEveryone() {
        try (RealtimeFixture fx = chatServer()) {
            List<TestClient> clients = fx.clients(3);
            TestClient sender = clients.get(0);
            FirstChat.relay(fx.server(), fx.socketOf(sender), "hi");
            for (TestClient client : clients) {
                client.await("chat", args -> firstHas(args, "text", "hi", "from", sender.id()));
            }
        }
    }

    @Test
    @Tag("task:7")
    @DisplayName("chat sent by two clients reaches all three clients, each message exactly once")
    void everyMessageOncePerClient() {
        try (RealtimeFixture fx = chatServer()) {
            List<TestClient> clients = fx.clients(3);
            clients.get(0).emit("chat", "one");
            clients.get(1).emit("chat", "two");
            for (TestClient client : clients) {
                client.await("chat", args -> firstHas(args, "text", "one"));
                client.await("chat", args -> firstHas(args, "text", "two"));
            }
            fx.sync();
            for (TestClient client : clients) {
                assertThat(client.received("chat")).as("the chat events %s received (it should get each message once)", client)
                        .hasSize(2);
            }
        }
    }

    @Test
    @Tag("task:7")
    @DisplayName("an empty message reaches nobody; only its sender hears about the problem")
    void emptyMessageIsRefused() {
        try (RealtimeFixture fx = chatServer()) {
            List<TestClient> clients = fx.clients(2);
            clients.get(0).emit("chat", "   ");
            assertThat(clients.get(0).await("problem")).as("the problem the sender was told about")
                    .first().asString().contains("empty");
            fx.sync();
            clients.get(0).assertNotReceived("chat");
            clients.get(1).assertNotReceived("chat");
            clients.get(1).assertNotReceived("problem");
        }
    }
}
