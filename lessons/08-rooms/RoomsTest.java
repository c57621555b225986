import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.EventArgs.first;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

/** The rooms server over real sockets: each test starts Rooms on a free port and stops it afterwards. */
class RoomsTest {
    private RealtimeFixture fx;
    private Rooms app;

    @BeforeEach
    void start() {
        fx = RealtimeFixture.start(RoomsEvents::configure, server -> app = new Rooms(server));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** A chat user connected with this name (it lands in the lobby). */
    private TestClient user(String name) {
        TestClient user = fx.client(Map.of("name", name));
        assertNoTodo();   // the connection handler has run once the client is connected
        return user;
    }

    /** Fails at once when the server ran into an unfinished TODO, instead of waiting for an event that cannot come. */
    private void assertNoTodo() {
        assertThat(app.unfinished.get()).as("an unfinished TODO the server ran into").isNull();
    }

    /**
     * Waits like TestClient.await, but fails at once when the server runs into an unfinished TODO meanwhile
     * (a handler that throws sends nothing, so waiting out the deadline would only make grading slow).
     */
    private List<Object> awaitUnlessTodo(TestClient user, String event, Predicate<List<Object>> matching) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            assertNoTodo();
            Optional<List<Object>> hit = user.received(event).stream().filter(matching).findFirst();
            if (hit.isPresent()) {
                return hit.get();
            }
            if (System.nanoTime() > end) {
                return user.await(event, matching, Duration.ofMillis(1));   // fails, listing what the user received
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for '" + event + "'", e);
            }
        }
    }

    /** Moves a user to a room and waits until the server told it "room" for that room. */
    private static void move(TestClient user, String room) {
        assertThat(first(user.ack("join", room))).as("the ack of join(\"" + room + "\")").containsEntry("ok", true);
        user.await("room", args -> room.equals(first(args).get("room")));
    }

    private static boolean is(List<Object> args, String room, String name, List<String> members) {
        Map<String, Object> presence = first(args);
        return room.equals(presence.get("room")) && name.equals(presence.get("name")) && members.equals(presence.get("members"));
    }

    @Test
    @Tag("task:1")
    @DisplayName("a new user lands in the lobby, is told who is there, and the others hear \"joined\"")
    void landsInTheLobby() {
        TestClient ada = user("ada");
        ada.await("room", args -> is(args, "lobby", "ada", List.of("ada")));
        TestClient bob = user("bob");
        bob.await("room", args -> is(args, "lobby", "bob", List.of("ada", "bob")));
        ada.await("joined", args -> is(args, "lobby", "bob", List.of("ada", "bob")));
        fx.sync();
        bob.assertNotReceived("joined");
    }

    @Test
    @Tag("task:1")
    @DisplayName("switching rooms leaves the old room: it hears \"left\", the new room hears \"joined\"")
    void switchingRooms() {
        TestClient ada = user("ada");
        TestClient bob = user("bob");
        TestClient carol = user("carol");
        move(carol, "games");
        ada.await("left", args -> is(args, "lobby", "carol", List.of("ada", "bob")));
        bob.await("left", args -> is(args, "lobby", "carol", List.of("ada", "bob")));

        move(bob, "games");
        carol.await("joined", args -> is(args, "games", "bob", List.of("bob", "carol")));
        bob.await("room", args -> is(args, "games", "bob", List.of("bob", "carol")));
        assertThat(app.members("lobby")).as("members of the lobby after bob and carol moved to games").containsExactly("ada");
    }

    @Test
    @Tag("task:2")
    @DisplayName("say reaches everyone in the sender's room, the sender too, and nobody in another room")
    void sayStaysInTheRoom() {
        TestClient ada = user("ada");
        TestClient bob = user("bob");
        TestClient carol = user("carol");
        move(carol, "games");
        assertThat(first(ada.ack("say", "hi lobby"))).as("the ack of ada's say").containsEntry("ok", true);
        for (TestClient inLobby : List.of(ada, bob)) {
            assertThat(first(inLobby.await("message"))).as("the message heard in the lobby " + inLobby)
                    .containsEntry("room", "lobby").containsEntry("from", "ada").containsEntry("text", "hi lobby");
        }
        fx.sync();
        carol.assertNotReceived("message");
    }

    @Test
    @Tag("task:2")
    @DisplayName("after switching rooms a user hears the new room and no longer the old one")
    void switchingChangesWhatYouHear() {
        TestClient ada = user("ada");
        TestClient bob = user("bob");
        TestClient carol = user("carol");
        move(carol, "games");
        move(bob, "games");
        assertThat(first(ada.ack("say", "anyone still in the lobby?"))).as("the ack of ada's say").containsEntry("ok", true);
        assertThat(first(carol.ack("say", "welcome to games, bob"))).as("the ack of carol's say").containsEntry("ok", true);
        bob.await("message", args -> "welcome to games, bob".equals(first(args).get("text")));
        fx.sync();
        assertThat(bob.received("message")).as("messages bob heard after moving to games").hasSize(1);
    }

    @Test
    @Tag("task:3")
    @DisplayName("a whisper reaches only the named user, even in another room")
    void whisperReachesOneSocket() {
        TestClient ada = user("ada");
        TestClient bob = user("bob");
        TestClient carol = user("carol");
        move(bob, "games");
        assertThat(first(ada.ack("whisper", Map.of("to", "bob", "text", "psst")))).as("the ack of ada's whisper to bob")
                .containsEntry("ok", true);
        assertThat(first(bob.await("whisper"))).as("the whisper bob received")
                .containsEntry("from", "ada").containsEntry("to", "bob").containsEntry("text", "psst");
        fx.sync();
        carol.assertNotReceived("whisper");
        ada.assertNotReceived("whisper");
    }

    @Test
    @Tag("task:3")
    @DisplayName("a whisper to a name nobody has, or without {to, text}, answers with a clear error")
    void whisperToNobody() {
        TestClient ada = user("ada");
        Map<String, Object> reply = first(ada.ack("whisper", Map.of("to", "zed", "text", "hello?")));
        assertThat(reply).as("the ack of a whisper to zed").containsEntry("ok", false);
        assertThat(String.valueOf(reply.get("error"))).as("the error of a whisper to zed").contains("zed");
        assertThat(first(ada.ack("whisper", "zed, hello?"))).as("the ack of a whisper that is not a {to, text} object")
                .containsEntry("ok", false).containsKey("error");
    }

    @Test
    @Tag("task:4")
    @DisplayName("an announcement from /admin reaches every chat room but the library, and says how many it reached")
    void announcementSkipsTheQuietRoom() {
        TestClient ada = user("ada");
        TestClient bob = user("bob");
        TestClient carol = user("carol");
        move(bob, "games");
        move(carol, "library");
        TestClient boss = fx.client(o -> o.namespace("/admin"));
        Map<String, Object> reply = first(boss.ack("announce", "closing at midnight"));
        assertThat(reply).as("the ack of the announcement").containsEntry("ok", true).containsEntry("reached", 2);
        for (TestClient listener : List.of(ada, bob)) {
            assertThat(listener.await("announcement")).as("the announcement " + listener).containsExactly("closing at midnight");
        }
        ada.emit("announce", "I am not an admin");
        fx.sync();
        carol.assertNotReceived("announcement");
        boss.assertNotReceived("announcement");
        assertThat(bob.received("announcement")).as("announcements bob got (an \"announce\" on \"/\" is not heard)").hasSize(1);
    }

    @Test
    @Tag("task:5")
    @DisplayName("when a user disconnects, their room hears \"left\" with the members still there")
    void disconnectTellsTheRoom() {
        TestClient ada = user("ada");
        TestClient bob = user("bob");
        ada.await("joined", args -> is(args, "lobby", "bob", List.of("ada", "bob")));
        bob.close();
        awaitUnlessTodo(ada, "left", args -> is(args, "lobby", "bob", List.of("ada")));
    }

    @Test
    @Tag("task:5")
    @DisplayName("after a user disconnects their name is free again and whispers to them fail")
    void disconnectFreesTheName() {
        TestClient ada = user("ada");
        TestClient bob = user("bob");
        assertThat(fx.connecting(o -> o.auth(Map.of("name", "bob"))).awaitConnectError(WAIT))
                .as("the connect_error of a second bob while bob is online").contains("taken");
        bob.close();
        awaitUnlessTodo(ada, "left", args -> true);
        assertThat(first(ada.ack("whisper", Map.of("to", "bob", "text", "still there?"))))
                .as("the ack of a whisper to bob after he left").containsEntry("ok", false);
        assertThat(app.users).as("users online after bob left").containsOnlyKeys("ada");
        user("bob");
    }
}
