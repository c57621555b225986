import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.EventArgs.first;
import static relaylab.realtime.testing.EventArgs.firstHas;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.ReceivedEvent;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

class BroadcastChatTest {
    @BeforeEach
    void quiet() {
        BroadcastChat.log = line -> { };
    }

    static RealtimeFixture chatServer() {
        return RealtimeFixture.start(BroadcastChat::configure, BroadcastChat::setup);
    }

    static String sender(List<Object> chatArgs) {
        return String.valueOf(first(chatArgs).get("from"));
    }

    @Test
    @Tag("task:2")
    @DisplayName("broadcast() reaches every other client and not the sender, and says how many it reached")
    void broadcastSkipsTheSender() {
        try (RealtimeFixture fx = chatServer()) {
            List<TestClient> clients = fx.clients(3);
            TestClient sender = clients.get(0);
            int reached = BroadcastChat.broadcast(fx.socketOf(sender), "hi");
            assertThat(reached).as("what broadcast() returned with 3 clients connected").isEqualTo(2);
            clients.get(1).await("chat", args -> firstHas(args, "text", "hi", "from", sender.id()));
            clients.get(2).await("chat", args -> firstHas(args, "text", "hi", "from", sender.id()));
            fx.sync();
            sender.assertNotReceived("chat");
        }
    }

    @Test
    @Tag("task:2")
    @DisplayName("with four clients chatting, each gets every other client's message exactly once and none of its own")
    void everyOtherClientExactlyOnce() {
        try (RealtimeFixture fx = chatServer()) {
            List<TestClient> clients = fx.clients(4);
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).emit("chat", "message " + i);
            }
            for (TestClient client : clients) {
                client.awaitCount("chat", 3);
            }
            fx.sync();
            for (TestClient client : clients) {
                List<List<Object>> chats = client.received("chat");
                assertThat(chats).as("the chat events %s received", client).hasSize(3);
                assertThat(chats).as("chat events %s received from itself", client)
                        .noneMatch(args -> sender(args).equals(client.id()));
            }
        }
    }

    @Test
    @Tag("task:1")
    @DisplayName("a newcomer alone is welcomed, with its id and how many others are here")
    void newcomerIsWelcomedAlone() {
        try (RealtimeFixture fx = chatServer()) {
            List<TestClient> early = fx.clients(2);
            fx.sync();
            early.forEach(TestClient::clearReceived);
            TestClient newcomer = fx.client();
            List<Object> welcome = newcomer.await("welcome");
            assertThat(welcome).as("the welcome the newcomer got").first()
                    .isEqualTo(Map.of("you", newcomer.id(), "others", 2));
            fx.sync();
            for (TestClient client : early) {
                client.assertNotReceived("welcome");
            }
        }
    }

    @Test
    @Tag("task:1")
    @DisplayName("a late joiner gets the welcome and nothing else: earlier chat is not replayed")
    void lateJoinerGetsTheWelcomeOnly() {
        try (RealtimeFixture fx = chatServer()) {
            List<TestClient> early = fx.clients(2);
            early.get(0).emit("chat", "before you came 1");
            early.get(1).emit("chat", "before you came 2");
            fx.sync();
            TestClient late = fx.client();
            late.await("welcome");
            fx.sync();
            assertThat(late.received()).as("everything the late joiner received")
                    .extracting(ReceivedEvent::name).containsExactly("welcome");
        }
    }
}
