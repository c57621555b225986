import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamEntry;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;
import relaylab.store.LessonRedis;
import relaylab.store.testing.TestRedis;

/** The chat over real sockets with its data in Redis: servers on free ports, each test with its own key prefix. */
class RedisChatTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestRedis redis = new TestRedis();

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    /** The first log line saying "Redis is back" (it is written after the last messageSaved is sent). */
    private final CompletableFuture<String> back = new CompletableFuture<>();

    /** Closes the chat servers of the test, newest first (before the Redis they use). */
    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.remove(i).close();
        }
    }

    /** A chat server on a free port using {@code client} and this test's prefix; closed after the test. */
    private Chat chat(RedisClient client, int queueCapacity) {
        RedisChat[] app = new RedisChat[1];
        RealtimeFixture fx = RealtimeFixture.start(RedisChat::configure, server -> app[0] = new RedisChat(server, client,
                new RedisChat.Settings(redis.prefix(), Duration.ofMillis(200), queueCapacity, line -> {
                    log.add(line);
                    if (line.contains("Redis is back")) {
                        back.complete(line);
                    }
                })));
        open.add(fx);
        open.add(app[0]);
        return new Chat(fx, app[0]);
    }

    private record Chat(RealtimeFixture fx, RedisChat app) {
        TestClient registered(String name) {
            TestClient client = fx.client();
            Map<String, Object> reply = first(client.ack("register", name));
            assertThat(reply.get("ok")).as("ok in the ack of register(\"" + name + "\"); the ack was " + reply).isEqualTo(true);
            return client;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(List<Object> args) {
        assertThat(args).as("the arguments received").isNotEmpty();
        assertThat(args.get(0)).as("the first argument received").isInstanceOf(Map.class);
        return (Map<String, Object>) args.get(0);
    }

    private static List<ChatStore.ChatMessage> messages(Object json) {
        return RealtimeJson.convert(json, RealtimeJson.mapper().getTypeFactory().constructCollectionType(List.class, ChatStore.ChatMessage.class));
    }

    private List<String> streamTexts(RedisClient client) {
        return client.xrange(redis.prefix() + "messages", "-", "+").stream().map(e -> e.getFields().get("text")).toList();
    }

    @Test
    @Tag("task:5") // register beats presence (task 4), sendMessage saves through the queue (task 5)
    @DisplayName("sendMessage reaches everyone as receiveMessage whose id is the stream entry id, saved")
    void messageIdIsTheStreamId() {
        Chat chat = chat(redis.client(), 1000);
        TestClient ada = chat.registered("ada");
        TestClient bob = chat.registered("bob");
        assertThat(first(ada.ack("sendMessage", "hello bob"))).as("the ack of ada's sendMessage").containsEntry("ok", true);
        List<StreamEntry> entries = redis.client().xrange(redis.prefix() + "messages", "-", "+");
        assertThat(entries).as("entries in the stream after one message").hasSize(1);
        for (TestClient client : List.of(ada, bob)) {
            ChatStore.ChatMessage got = RealtimeJson.convert(client.await("receiveMessage", WAIT).get(0), ChatStore.ChatMessage.class);
            assertThat(got.id()).as("id of the receiveMessage " + client).isEqualTo(entries.get(0).getID().toString());
            assertThat(got.user()).as("user of the receiveMessage " + client).isEqualTo("ada");
            assertThat(got.saved()).as("saved in the receiveMessage " + client).isTrue();
        }
    }

    @Test
    @Tag("task:5") // register beats presence (task 4), sendMessage saves through the queue (task 5)
    @DisplayName("a newcomer on a new chat server (a restart) gets the history from Redis, oldest first; resume sends only what came after")
    void historySurvivesARestart() {
        Chat before = chat(redis.client(), 1000);
        TestClient ada = before.registered("ada");
        for (String text : List.of("one", "two", "three")) {
            assertThat(first(ada.ack("sendMessage", text))).as("the ack of sendMessage(\"" + text + "\")").containsEntry("ok", true);
        }
        before.fx().close();
        before.app().close();

        Chat after = chat(redis.client(), 1000);
        TestClient bob = after.registered("bob");
        List<ChatStore.ChatMessage> history = messages(bob.await("chatHistory", WAIT).get(0));
        assertThat(history).as("bob's chatHistory on the restarted server").extracting(ChatStore.ChatMessage::text)
                .containsExactly("one", "two", "three");
        List<ChatStore.ChatMessage> missed = messages(bob.ack("resume", history.get(0).id()).get(0));
        assertThat(missed).as("the ack of resume(id of \"one\")").extracting(ChatStore.ChatMessage::text).containsExactly("two", "three");
    }

    @Test
    @Tag("task:4") // register beats presence (task 4)
    @DisplayName("a name held on one chat server is refused on another, whatever its case, and is free again once its holder leaves")
    void namesAreUniqueAcrossServers() {
        Chat first = chat(redis.client(), 1000);
        Chat second = chat(redis.client(), 1000);
        TestClient ada = first.registered("ada");
        TestClient other = second.fx().client();
        assertThat(String.valueOf(first(other.ack("register", "ADA")).get("error")))
                .as("the error in the ack of register(\"ADA\") on the second server while ada is online on the first")
                .containsIgnoringCase("taken");
        TestClient watcher = first.registered("watcher");
        ada.close();
        watcher.await("onlineUsers", args -> !String.valueOf(args.get(0)).contains("ada"), WAIT);
        second.registered("Ada");
    }

    @Test
    @Tag("task:4")
    @DisplayName("users of two chat servers on one Redis see one online list, and a user who leaves is gone from it at once")
    void onlineListSpansServers() {
        Chat first = chat(redis.client(), 1000);
        Chat second = chat(redis.client(), 1000);
        TestClient ada = first.registered("ada");
        TestClient bob = second.registered("bob");
        ada.await("onlineUsers", args -> List.of("ada", "bob").equals(args.get(0)), WAIT);
        bob.await("onlineUsers", args -> List.of("ada", "bob").equals(args.get(0)), WAIT);
        bob.close();
        ada.await("onlineUsers", args -> List.of("ada").equals(args.get(0)), WAIT);
    }

    @Test
    @Tag("task:5")
    @DisplayName("Redis stops mid-chat: 200 messages are still relayed, marked unsaved, then all stored once, in order, when it is back")
    void outageLosesNothing() throws Exception {
        try (LessonRedis own = LessonRedis.startEmbedded(redis.folder("outage-" + redis.prefix().replace(":", "")))) {
            try {
                Chat chat = chat(own.client(), 1000);
                TestClient ada = chat.registered("ada");
                TestClient bob = chat.registered("bob");
                ada.ack("sendMessage", "before");
                bob.await("receiveMessage", WAIT);

                own.stopServer();
                List<String> expected = new ArrayList<>(List.of("before"));
                for (int i = 1; i <= 200; i++) {
                    expected.add("during " + i);
                    assertThat(first(ada.ack("sendMessage", "during " + i))).as("the ack of message " + i + " while Redis is down")
                            .containsEntry("ok", true);
                }
                List<List<Object>> relayed = bob.awaitCount("receiveMessage", 201, WAIT);
                ChatStore.ChatMessage last = RealtimeJson.convert(relayed.get(200).get(0), ChatStore.ChatMessage.class);
                assertThat(last.text()).as("the last message bob got while Redis was down").isEqualTo("during 200");
                assertThat(last.saved()).as("saved in a message relayed while Redis was down").isFalse();

                own.startServer();
                List<List<Object>> saved = bob.awaitCount("messageSaved", 200, WAIT);
                assertThat(streamTexts(own.client())).as("the stream after Redis came back: every message once, in order")
                        .isEqualTo(expected);
                List<String> streamIds = own.client().xrange(redis.prefix() + "messages", "-", "+").stream()
                        .map(e -> e.getID().toString()).toList();
                for (int i = 0; i < 200; i++) {
                    Map<String, Object> event = first(saved.get(i));
                    String pendingId = RealtimeJson.convert(relayed.get(i + 1).get(0), ChatStore.ChatMessage.class).id();
                    assertThat(event).as("messageSaved number " + (i + 1) + ": the pending id bob saw, and the stream id")
                            .containsEntry("pendingId", pendingId).containsEntry("id", streamIds.get(i + 1));
                }
                back.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(log).as("log lines saying \"Redis is down\"").filteredOn(l -> l.contains("Redis is down")).hasSize(1);
                assertThat(log).as("log lines saying \"Redis is back\"").filteredOn(l -> l.contains("Redis is back")).hasSize(1);
            } finally {
                closeAll();
            }
        }
    }

    @Test
    @Tag("task:5")
    @DisplayName("the queue is bounded: past its capacity a message is refused with a reason and counted, never dropped silently")
    void fullQueueRefuses() throws Exception {
        try (LessonRedis own = LessonRedis.startEmbedded(redis.folder("full-" + redis.prefix().replace(":", "")))) {
            try {
                Chat chat = chat(own.client(), 5);
                TestClient ada = chat.registered("ada");
                own.stopServer();
                List<Object> refusals = new ArrayList<>();
                for (int i = 1; i <= 7; i++) {
                    Map<String, Object> reply = first(ada.ack("sendMessage", "m" + i));
                    if (!Boolean.TRUE.equals(reply.get("ok"))) {
                        refusals.add(reply.get("error"));
                    }
                }
                assertThat(refusals).as("errors in the acks of 7 messages with room for 5").hasSize(2).allSatisfy(e ->
                        assertThat(String.valueOf(e)).contains("5"));
                own.startServer();
                ada.awaitCount("messageSaved", 5, WAIT);
                assertThat(streamTexts(own.client())).as("the stream after Redis came back").containsExactly("m1", "m2", "m3", "m4", "m5");
                assertThat(back.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the log line saying \"Redis is back\"")
                        .containsPattern("\\b2 messages were refused");
            } finally {
                closeAll();
            }
        }
    }
}
