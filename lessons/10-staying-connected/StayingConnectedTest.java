import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

/** Tasks 3 and 4 on the server: offsets, catching up a client that comes back, and a resent message kept once. */
class StayingConnectedTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private RealtimeFixture fx;
    private StayingConnected app;

    @BeforeEach
    void start() {
        fx = RealtimeFixture.start(StayingConnected::configure, server -> app = new StayingConnected(server));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** A client with this name, and the offset it saw last (null: none); connected, its catch-up received. */
    private TestClient tab(String name, Object offset) {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("name", name);
        if (offset != null) {
            auth.put("offset", offset);
        }
        TestClient client = fx.client(auth);
        assertThat(app.unfinished.get()).as("an unfinished TODO the server ran into").isNull();
        client.await("catchup", WAIT);
        return client;
    }

    private static Catchup catchup(TestClient client) {
        return RealtimeJson.convert(client.received("catchup").get(0).get(0), Catchup.class);
    }

    private static List<Long> offsets(List<Message> messages) {
        return messages.stream().map(Message::offset).toList();
    }

    private static Map<String, Object> say(TestClient client, String id, String text) {
        Object reply = client.ack("say", Map.of("id", id, "text", text)).get(0);
        assertThat(reply).as("the ack of say").isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) reply;
        assertThat(map).as("the ack of say(" + text + ")").containsEntry("ok", true);
        return map;
    }

    private void postMany(int count) {
        for (int i = 0; i < count; i++) {
            app.post("m" + i, "bot", "message " + i);
        }
    }

    @Test
    @Tag("task:3")
    @DisplayName("every message gets the next offset, in the ack and in the message everyone receives")
    void offsets() {
        TestClient ada = tab("ada", null);
        TestClient bob = tab("bob", null);
        assertThat(say(ada, "a1", "one")).as("the ack of the first message").containsEntry("offset", 1);
        assertThat(say(bob, "b1", "two")).as("the ack of the second message").containsEntry("offset", 2);
        assertThat(say(ada, "a2", "three")).as("the ack of the third message").containsEntry("offset", 3);
        List<List<Object>> heard = bob.awaitCount("message", 3, WAIT);
        List<Long> got = heard.stream().map(args -> RealtimeJson.convert(args.get(0), Message.class).offset()).toList();
        assertThat(got).as("offsets of the messages bob received").containsExactly(1L, 2L, 3L);
        Message first = RealtimeJson.convert(heard.get(0).get(0), Message.class);
        assertThat(first.from()).as("from of the first message").isEqualTo("ada");
        assertThat(first.id()).as("id of the first message: the sender's").isEqualTo("a1");
    }

    @Test
    @Tag("task:3")
    @DisplayName("a client that comes back with its last offset gets exactly what it missed, resumed")
    void resumesFromTheOffset() {
        postMany(5);
        TestClient back = tab("ada", 2);
        Catchup c = catchup(back);
        assertThat(c.resumed()).as("resumed, for offset 2 of 5").isTrue();
        assertThat(offsets(c.messages())).as("offsets sent to a client that saw up to 2").containsExactly(3L, 4L, 5L);
        TestClient upToDate = tab("bob", 5);
        assertThat(catchup(upToDate).resumed()).as("resumed, for offset 5 of 5").isTrue();
        assertThat(catchup(upToDate).messages()).as("messages sent to a client that missed nothing").isEmpty();
    }

    @Test
    @Tag("task:3")
    @DisplayName("a newcomer, an offset from the future, a forgotten or a garbled offset all get the full recent history")
    void fullHistoryOtherwise() {
        postMany(1005);
        List<Long> kept = LongStream.rangeClosed(6, 1005).boxed().toList();
        for (Object offset : new Object[] {null, 99_999, 2, "abc"}) {
            TestClient client = tab("c" + offset, offset);
            Catchup c = catchup(client);
            assertThat(c.resumed()).as("resumed, for offset " + offset + " (1,000 kept: 6 to 1005)").isFalse();
            assertThat(offsets(c.messages())).as("offsets sent for offset " + offset).isEqualTo(kept);
        }
        assertThat(catchup(tab("d", 5)).resumed()).as("resumed, for offset 5: the next one, 6, is still kept").isTrue();
    }

    @Test
    @Tag("task:3")
    @DisplayName("messages older than KEEP_FOR are forgotten: a client that was away longer gets the recent history instead")
    void forgetsOldMessages() {
        AtomicLong now = new AtomicLong(1_000_000);
        app.clock = now::get;
        postMany(3);
        now.addAndGet(StayingConnected.KEEP_FOR.toMillis() + 1);
        app.post("late", "bot", "after a long pause");
        Catchup c = catchup(tab("ada", 1));
        assertThat(c.resumed()).as("resumed, for offset 1 when 2 and 3 are forgotten").isFalse();
        assertThat(offsets(c.messages())).as("offsets sent: only what is kept").containsExactly(4L);
    }

    @Test
    @Tag("task:3")
    @DisplayName("no message slips through or comes twice while a client reconnects in the middle of a busy chat")
    void nothingSlipsBetweenCatchupAndLive() throws InterruptedException {
        postMany(50);
        Thread sender = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                app.post("busy" + i, "bot", "busy " + i);
            }
        });
        sender.start();
        List<TestClient> comers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            comers.add(tab("c" + i, 10 * i));
        }
        sender.join(WAIT.toMillis());
        assertThat(sender.isAlive()).as("the sender finished 300 posts").isFalse();
        for (int i = 0; i < comers.size(); i++) {
            TestClient c = comers.get(i);
            List<Long> got = new ArrayList<>(offsets(catchup(c).messages()));
            long expectedLive = 350 - (got.isEmpty() ? 10L * i : got.get(got.size() - 1));
            for (List<Object> args : c.awaitCount("message", (int) expectedLive, WAIT)) {
                got.add(RealtimeJson.convert(args.get(0), Message.class).offset());
            }
            assertThat(got).as("offsets client " + i + " received (it came back with offset " + 10 * i + ")")
                    .isEqualTo(LongStream.rangeClosed(10L * i + 1, 350).boxed().toList());
        }
    }

    @Test
    @Tag("task:4")
    @DisplayName("a message resent with the same id is kept once: same offset in the ack, delivered once")
    void resentMessageKeptOnce() {
        TestClient ada = tab("ada", null);
        TestClient bob = tab("bob", null);
        Object first = say(ada, "same-id", "hello").get("offset");
        Object again = say(ada, "same-id", "hello").get("offset");
        assertThat(again).as("offset in the ack of the resent message").isEqualTo(first);
        say(ada, "other-id", "next");
        List<List<Object>> heard = bob.awaitCount("message", 2, WAIT);
        fx.sync();
        assertThat(bob.received("message")).as("messages bob received (hello twice means the resend was posted again)")
                .hasSize(2);
        assertThat(RealtimeJson.convert(heard.get(1).get(0), Message.class).text()).isEqualTo("next");
        assertThat(catchup(tab("carol", null)).messages()).as("messages kept").hasSize(2);
    }
}
