import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;
import relaylab.store.testing.TestRedis;

/** ChatStore and Inspect against a real Redis (REDIS_URL, else an embedded one); each test has its own key prefix. */
class ChatStoreTest {
    @RegisterExtension
    static final TestRedis redis = new TestRedis();

    private ChatStore store() {
        return new ChatStore(redis.client(), redis.prefix(), 5_000);
    }

    private static ChatStore.Draft draft(String user, String text) {
        return new ChatStore.Draft(user, text, "2026-12-01T10:00:00Z", UUID.randomUUID().toString());
    }

    @Test
    @Tag("task:1")
    @DisplayName("append adds an entry to the stream <prefix>messages with user, text and time, and returns its id")
    void appendWritesTheStream() {
        ChatStore store = store();
        String first = store.append(draft("ada", "hello"));
        String second = store.append(draft("bob", "hi ada"));
        assertThat(first).as("the id append returned (a stream id is <milliseconds>-<sequence>)").matches("\\d+-\\d+");
        assertThat(new StreamEntryID(second)).as("the second id compared with the first: stream ids only grow")
                .isGreaterThan(new StreamEntryID(first));
        List<StreamEntry> entries = redis.client().xrange(redis.prefix() + "messages", "-", "+");
        assertThat(entries).as("entries in the stream " + redis.prefix() + "messages").hasSize(2);
        assertThat(entries.get(0).getID().toString()).as("the first entry's id").isEqualTo(first);
        assertThat(entries.get(0).getFields()).as("the first entry's fields")
                .containsEntry("user", "ada").containsEntry("text", "hello").containsEntry("time", "2026-12-01T10:00:00Z");
    }

    @Test
    @Tag("task:1")
    @DisplayName("the stream is capped near MAX_MESSAGES (MAXLEN ~): 1,300 messages leave between 1,000 and 1,200")
    void streamIsCapped() {
        ChatStore store = store();
        for (int i = 0; i < 1300; i++) {
            store.append(draft("ada", "message " + i));
        }
        long length = redis.client().xlen(redis.prefix() + "messages");
        assertThat(length).as("XLEN after 1,300 appends with MAXLEN ~ 1000 (trimmed in whole blocks, so a few more may stay)")
                .isBetween((long) ChatStore.MAX_MESSAGES, 1200L);
    }

    @Test
    @Tag("task:2")
    @DisplayName("latest(n) gives the newest n messages, oldest first, with the stream ids as message ids")
    void latestIsOldestFirst() {
        ChatStore store = store();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            ids.add(store.append(draft("ada", "message " + i)));
        }
        List<ChatStore.ChatMessage> latest = store.latest(50);
        assertThat(latest).as("latest(50) after 60 messages").hasSize(50);
        assertThat(latest.get(0).text()).as("the first of latest(50): the oldest of the newest 50").isEqualTo("message 11");
        assertThat(latest.get(49).text()).as("the last of latest(50): the newest").isEqualTo("message 60");
        assertThat(latest).as("ids of latest(50): the stream ids").extracting(ChatStore.ChatMessage::id).isEqualTo(ids.subList(10, 60));
        assertThat(latest).as("messages read back from Redis are saved").allMatch(ChatStore.ChatMessage::saved);
        assertThat(store().latest(50)).as("latest(50) of a stream with nothing in it yet").isNotNull();
    }

    @Test
    @Tag("task:2")
    @DisplayName("after(id, n) gives the messages after that id, not the one with it (an exclusive range), oldest first")
    void afterIsExclusive() {
        ChatStore store = store();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ids.add(store.append(draft("ada", "message " + i)));
        }
        assertThat(store.after(ids.get(6), 50)).as("after(id of message 7)").extracting(ChatStore.ChatMessage::text)
                .containsExactly("message 8", "message 9", "message 10");
        assertThat(store.after(ids.get(2), 2)).as("after(id of message 3, 2)").extracting(ChatStore.ChatMessage::text)
                .containsExactly("message 4", "message 5");
        assertThat(store.after(ids.get(9), 50)).as("after(the newest id): nothing new").isEmpty();
    }

    @Test
    @Tag("task:3")
    @DisplayName("20 threads on two servers race for each of 10 names: exactly one wins each, and the key holds its socket id")
    void claimIsAtomic() throws Exception {
        try (RedisClient second = redis.redis().newClient()) {
            ChatStore[] servers = {store(), new ChatStore(second, redis.prefix(), 5_000)};
            ExecutorService threads = Executors.newFixedThreadPool(20);
            try {
                for (int round = 0; round < 10; round++) {
                    String name = "name" + round;
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Boolean>> claims = new ArrayList<>();
                    for (int t = 0; t < 20; t++) {
                        ChatStore server = servers[t % 2];
                        String socketId = "socket-" + t;
                        claims.add(threads.submit(() -> {
                            go.await();
                            return server.claim(name, socketId);
                        }));
                    }
                    go.countDown();
                    List<String> winners = new ArrayList<>();
                    for (int t = 0; t < 20; t++) {
                        if (claims.get(t).get(10, TimeUnit.SECONDS)) {
                            winners.add("socket-" + t);
                        }
                    }
                    assertThat(winners).as("the threads whose claim(\"" + name + "\") returned true").hasSize(1);
                    assertThat(redis.client().get(redis.prefix() + "user:" + name)).as("the value of " + redis.prefix() + "user:" + name)
                            .isEqualTo(winners.get(0));
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    @Tag("task:3")
    @DisplayName("a name is taken whatever its case, expires unless refreshed, and only its holder can release or refresh it")
    void onlyTheHolderReleases() {
        ChatStore store = store();
        assertThat(store.claim("Ada", "socket-1")).as("claim(\"Ada\") on a free name").isTrue();
        assertThat(store.claim("ADA", "socket-2")).as("claim(\"ADA\") while Ada holds it").isFalse();
        String key = redis.prefix() + "user:ada";
        assertThat(redis.client().pttl(key)).as("the expiry (PTTL) of " + key + ", in ms").isBetween(1L, 5_000L);
        assertThat(store.refresh("ada", "socket-2")).as("refresh by a socket that does not hold the name").isFalse();
        assertThat(store.release("ada", "socket-2")).as("release by a socket that does not hold the name").isFalse();
        assertThat(redis.client().get(key)).as(key + " after the non-holder tried").isEqualTo("socket-1");
        assertThat(store.refresh("Ada", "socket-1")).as("refresh by the holder").isTrue();
        assertThat(store.release("Ada", "socket-1")).as("release by the holder").isTrue();
        assertThat(redis.client().exists(key)).as(key + " exists after the holder released it").isFalse();
        assertThat(store.claim("ada", "socket-2")).as("claim(\"ada\") after it was released").isTrue();
    }

    @Test
    @Tag("task:4")
    @DisplayName("Presence: beat marks names as seen, prune removes whoever was not seen for two heartbeats, online is sorted")
    void presenceIsPruned() {
        Presence presence = new Presence(redis.client(), redis.prefix(), 1000);
        presence.beat(List.of("zoe", "Ada"), 10_000);
        presence.beat(List.of("bob"), 11_500);
        presence.beat(List.of(), 11_500);
        assertThat(presence.online()).as("online after beats at 10.0 s and 11.5 s").containsExactly("Ada", "bob", "zoe");
        assertThat(redis.client().zscore(redis.prefix() + "online", "bob")).as("bob's score in " + redis.prefix() + "online")
                .isEqualTo(11_500.0);
        assertThat(presence.prune(11_900)).as("prune at 11.9 s (heartbeat 1 s): nobody is 2 s old yet").isZero();
        presence.beat(List.of("zoe"), 12_500);
        assertThat(presence.prune(12_600)).as("prune at 12.6 s: Ada, last seen at 10.0 s, is gone").isEqualTo(1);
        assertThat(presence.online()).as("online after the prune at 12.6 s").containsExactly("bob", "zoe");
        assertThat(presence.leave("bob")).as("leave(\"bob\")").isTrue();
        assertThat(presence.online()).as("online after bob left").containsExactly("zoe");
    }

    @Test
    @Tag("task:6")
    @DisplayName("Inspect lists each key with its type and size, and the last 5 messages of the stream, oldest first")
    void inspectShowsTheData() {
        ChatStore store = store();
        for (int i = 1; i <= 7; i++) {
            store.append(draft("ada", "message " + i));
        }
        store.claim("ada", "socket-1");
        new Presence(redis.client(), redis.prefix(), 1000).beat(List.of("ada"), 1234);
        redis.client().set("other-" + redis.prefix() + "x", "not the chat's");
        try {
            List<String> lines = Inspect.describe(redis.client(), redis.prefix());
            String text = String.join("\n", lines);
            assertKeyLine(lines, redis.prefix() + "messages", "stream", "7");
            assertKeyLine(lines, redis.prefix() + "online", "zset", "1");
            assertKeyLine(lines, redis.prefix() + "user:ada", "string", "socket-1");
            assertThat(text).as("Inspect.describe shows the last 5 messages").contains("message 3", "message 7")
                    .doesNotContain("message 2");
            assertThat(text.indexOf("message 3")).as("position of message 3 before message 7 (oldest first)")
                    .isLessThan(text.indexOf("message 7"));
            assertThat(text).as("Inspect.describe shows only keys with the prefix").doesNotContain("other-");
        } finally {
            redis.client().del("other-" + redis.prefix() + "x");
        }
    }

    /** One line starts with the key and shows its type and its size (or value) as a separate word. */
    private static void assertKeyLine(List<String> lines, String key, String type, String size) {
        assertThat(lines).as("a line starting with " + key + " that shows \"" + type + "\" and " + size + " in:\n" + String.join("\n", lines))
                .anySatisfy(line -> {
                    assertThat(line).startsWith(key);
                    assertThat(line.substring(key.length())).contains(type).containsPattern("\\b" + size + "\\b");
                });
    }
}
