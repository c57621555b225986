import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.EventArgs.first;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

/** The chat server over real sockets: each test starts ChatApp on a free port and stops it afterwards. */
class ChatAppTest {
    private RealtimeFixture fx;
    private ChatApp app;

    @BeforeEach
    void start() {
        fx = RealtimeFixture.start(ChatApp::configure, server -> app = new ChatApp(server));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** The first argument of an ack or event, as a map (the JSON object the server sent). */

    private TestClient registered(String name) {
        TestClient client = fx.client();
        Map<String, Object> reply = first(client.ack("register", name));
        assertThat(reply.get("ok")).as("ok in the ack of register(\"" + name + "\"); the ack was " + reply).isEqualTo(true);
        return client;
    }

    private static ChatMessage message(String user, String text) {
        return new ChatMessage(java.util.UUID.randomUUID().toString(), user, text, Instant.now().toString());
    }

    @Test
    @Tag("task:1")
    @DisplayName("register answers in its ack: ok with the name, or a clear error for an empty, too long or taken name")
    void registerAnswersByAck() {
        TestClient ada = fx.client();
        assertThat(first(ada.ack("register", " ada "))).as("the ack of register(\" ada \")")
                .containsEntry("ok", true).containsEntry("username", "ada");

        TestClient other = fx.client();
        assertThat(String.valueOf(first(other.ack("register", "")).get("error")))
                .as("the error in the ack of register(\"\")").containsIgnoringCase("empty");
        assertThat(String.valueOf(first(other.ack("register", "x".repeat(40))).get("error")))
                .as("the error in the ack of a 40-character name").contains("20");
        assertThat(String.valueOf(first(other.ack("register", "ADA")).get("error")))
                .as("the error in the ack of register(\"ADA\") while ada is online").containsIgnoringCase("taken");
        assertThat(app.users.online()).as("users online after one success and three refusals").containsExactly("ada");
    }

    @Test
    @Tag("task:2")
    @DisplayName("ChatHistory keeps the latest messages, oldest first, never more than its capacity")
    void historyIsCapped() {
        ChatHistory history = new ChatHistory(3);
        for (int i = 1; i <= 5; i++) {
            history.add(message("ada", "message " + i));
        }
        assertThat(history.messages()).as("the texts kept by a history of capacity 3 after 5 messages")
                .extracting(ChatMessage::text).containsExactly("message 3", "message 4", "message 5");
    }

    @Test
    @Tag("task:2")
    @DisplayName("a newcomer gets the earlier messages in chatHistory when registering, and only the newcomer")
    void newcomerGetsHistory() {
        TestClient ada = registered("ada");
        app.history.add(message("ada", "first"));
        app.history.add(message("ada", "second"));

        TestClient bob = registered("bob");
        List<Object> history = bob.await("chatHistory");
        List<ChatMessage> messages = RealtimeJson.convert(history.get(0),
                RealtimeJson.mapper().getTypeFactory().constructCollectionType(List.class, ChatMessage.class));
        assertThat(messages).as("the messages in bob's chatHistory").extracting(ChatMessage::text)
                .containsExactly("first", "second");
        fx.sync();
        assertThat(ada.received("chatHistory")).as("chatHistory events ada got (only her own, when she registered)")
                .hasSize(1);
    }

    @Test
    @Tag("task:3")
    @DisplayName("sendMessage reaches everyone, the sender too, as receiveMessage with id, user, text and time")
    void messageReachesEveryone() {
        TestClient ada = registered("ada");
        TestClient bob = registered("bob");
        Instant before = Instant.now();
        assertThat(first(ada.ack("sendMessage", "hello bob"))).as("the ack of ada's sendMessage").containsEntry("ok", true);

        for (TestClient client : List.of(ada, bob)) {
            ChatMessage got = RealtimeJson.convert(client.await("receiveMessage").get(0), ChatMessage.class);
            assertThat(got.user()).as("user of the receiveMessage " + client).isEqualTo("ada");
            assertThat(got.text()).as("text of the receiveMessage " + client).isEqualTo("hello bob");
            assertThat(got.id()).as("id of the receiveMessage " + client).isNotBlank();
            assertThat(Instant.parse(got.time())).as("time of the receiveMessage (an ISO instant) " + client)
                    .isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
        }
        bob.ack("sendMessage", "hi ada");
        List<List<Object>> both = ada.awaitCount("receiveMessage", 2);
        assertThat(first(both.get(1)).get("id")).as("the ids of two different messages").isNotEqualTo(first(both.get(0)).get("id"));
        assertThat(app.history.messages()).as("the history after two messages").extracting(ChatMessage::text)
                .containsExactly("hello bob", "hi ada");
    }

    @Test
    @Tag("task:3")
    @DisplayName("sendMessage refuses an unregistered sender, an empty text and a too long text, and sends nothing")
    void badMessagesAreRefused() {
        TestClient bob = registered("bob");
        TestClient stranger = fx.client();
        assertThat(first(stranger.ack("sendMessage", "hi"))).as("the ack of sendMessage before register")
                .containsEntry("ok", false).extractingByKey("error").asString().containsIgnoringCase("register");
        assertThat(first(bob.ack("sendMessage", "   "))).as("the ack of an empty message")
                .containsEntry("ok", false).extractingByKey("error").isNotNull();
        assertThat(first(bob.ack("sendMessage", "x".repeat(ChatApp.MAX_TEXT + 1)))).as("the ack of a message that is too long")
                .containsEntry("ok", false).extractingByKey("error").asString().contains(String.valueOf(ChatApp.MAX_TEXT));
        fx.sync();
        bob.assertNotReceived("receiveMessage");
        assertThat(app.history.messages()).as("the history after three refused messages").isEmpty();
    }

    @Test
    @Tag("task:3")
    @DisplayName("sendMessage trims the text first: 500 characters with spaces around are accepted and sent trimmed")
    void textIsTrimmedBeforeItsLengthIsChecked() {
        TestClient bob = registered("bob");
        String text = "y".repeat(ChatApp.MAX_TEXT);
        assertThat(first(bob.ack("sendMessage", "  " + text + "  "))).as("the ack of 500 characters with spaces around")
                .containsEntry("ok", true);
        assertThat(app.history.messages()).as("the history after it").extracting(ChatMessage::text)
                .containsExactly(text);
    }

    @Test
    @Tag("task:4")
    @DisplayName("typing reaches the others with the typist's name, but not the typist")
    void typingReachesTheOthers() {
        TestClient ada = registered("ada");
        TestClient bob = registered("bob");
        TestClient carol = registered("carol");
        ada.emit("typing", true);
        for (TestClient other : List.of(bob, carol)) {
            assertThat(first(other.await("typing"))).as("the typing event " + other)
                    .containsEntry("user", "ada").containsEntry("typing", true);
        }
        ada.emit("typing", false);
        bob.await("typing", args -> Boolean.FALSE.equals(first(args).get("typing")));
        fx.sync();
        ada.assertNotReceived("typing");
    }

    @Test
    @Tag("task:5")
    @DisplayName("everyone gets the online list each time someone registers")
    void onlineListOnRegister() {
        TestClient ada = registered("ada");
        ada.await("onlineUsers", args -> List.of("ada").equals(args.get(0)));
        registered("bob");
        ada.await("onlineUsers", args -> List.of("ada", "bob").equals(args.get(0)));
    }

    @Test
    @Tag("task:5")
    @DisplayName("when a user disconnects, the others get the list without them and the name is free again")
    void disconnectCleansUp() {
        TestClient ada = registered("ada");
        TestClient bob = registered("bob");
        ada.await("onlineUsers", args -> List.of("ada", "bob").equals(args.get(0)));
        ada.clearReceived();
        bob.close();
        ada.await("onlineUsers", args -> List.of("ada").equals(args.get(0)));
        assertThat(app.users.online()).as("users online after bob disconnected").containsExactly("ada");
        registered("bob");
    }
}
