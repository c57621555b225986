package relaylab.realtime.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.BinaryJedisPubSub;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;
import relaylab.store.LessonRedis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RedisAdapterTest {
    private static LessonRedis redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = LessonRedis.startEmbedded(Files.createTempDirectory("relaylab-adapter-"));
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static String key() {
        return "test-" + UUID.randomUUID();
    }

    private static RealtimeFixture server(String key) {
        return RealtimeFixture.start(cfg -> cfg.adapter(RedisAdapter.factory(redis.client(), key)), s -> { });
    }

    @Test
    @DisplayName("a broadcast is published as @socket.io/redis-adapter does: msgpack [uid, {type 2, data, nsp}, {rooms, except, flags}] on <key>#/#<room>#")
    void wireFormat() throws Exception {
        String key = key();
        BlockingQueue<Object[]> seen = new LinkedBlockingQueue<>();
        BinaryJedisPubSub listener = new BinaryJedisPubSub() {
            @Override
            public void onPMessage(byte[] pattern, byte[] channel, byte[] message) {
                seen.add(new Object[] {new String(channel, StandardCharsets.UTF_8), MsgPack.decode(message)});
            }
        };
        Thread thread = new Thread(() -> redis.client().psubscribe(listener, (key + "#/#*").getBytes(StandardCharsets.UTF_8)));
        thread.start();
        try (RealtimeFixture fx = server(key)) {
            Await.until("the test's subscription", listener::isSubscribed);
            TestClient a = fx.client();
            RealtimeSocket sender = fx.socketOf(a);
            fx.server().to("games").emit("score", 3, "x", Map.of("k", true));
            Object[] first = seen.poll(5, TimeUnit.SECONDS);
            assertThat(first).as("a message on the room channel").isNotNull();
            assertThat(first[0]).isEqualTo(key + "#/#games#");
            String uid = ((RedisAdapter) fx.server().of("/").adapter()).uid();
            assertThat(first[1]).isEqualTo(List.of(uid,
                    Map.of("type", 2L, "data", List.of("score", 3L, "x", Map.of("k", true)), "nsp", "/"),
                    Map.of("rooms", List.of("games"), "except", List.of(), "flags", Map.of())));
            sender.broadcast().except("quiet").volatileEmit("hi");
            Object[] second = seen.poll(5, TimeUnit.SECONDS);
            assertThat(second).isNotNull();
            assertThat(second[0]).as("no single room: the namespace channel").isEqualTo(key + "#/#");
            assertThat(((List<?>) second[1]).get(2)).isEqualTo(Map.of("rooms", List.of(), "except", List.of("quiet", sender.id()),
                    "flags", Map.of("volatile", true)));
        } finally {
            listener.punsubscribe();
            thread.join(5000);
        }
    }

    @Test
    @DisplayName("two servers over one Redis: broadcasts, rooms and except reach the right clients of both, each once")
    void twoServers() {
        String key = key();
        try (RealtimeFixture one = server(key); RealtimeFixture two = server(key)) {
            TestClient a = one.client();
            TestClient b = two.client();
            TestClient c = two.client();
            two.socketOf(b).join("red");
            two.socketOf(c).join("muted");
            one.server().emit("all", "x");
            one.server().to("red").emit("red", "y");
            one.server().except("muted").emit("loud", "z");
            one.socketOf(a).broadcast().emit("fromA", 1);
            assertThat(a.await("all")).containsExactly("x");
            assertThat(b.await("all")).containsExactly("x");
            assertThat(c.await("all")).containsExactly("x");
            assertThat(b.await("red")).containsExactly("y");
            assertThat(b.await("loud")).containsExactly("z");
            assertThat(c.await("fromA")).containsExactly(1);
            one.sync();
            two.sync();
            a.assertNotReceived("red");
            a.assertNotReceived("fromA");
            c.assertNotReceived("red");
            c.assertNotReceived("loud");
            assertThat(List.of(a.received("all"), b.received("all"), c.received("all"))).as("one copy each").allSatisfy(l -> assertThat(l).hasSize(1));
        }
    }

    @Test
    @DisplayName("after Redis stops and starts again, the adapter subscribes again and broadcasts flow between servers")
    void resubscribesAfterRestart() {
        String key = key();
        try (RealtimeFixture one = server(key); RealtimeFixture two = server(key)) {
            TestClient b = two.client();
            one.server().emit("before", 1);
            assertThat(b.await("before")).containsExactly(1);
            redis.stopServer();
            one.server().emit("during", 2);   // Redis is down: local sockets only, and no exception
            redis.startServer();
            RedisAdapter adapterOfTwo = (RedisAdapter) two.server().of("/").adapter();
            Await.until("server two subscribed again", adapterOfTwo::subscribed);
            Await.until("server one subscribed again", ((RedisAdapter) one.server().of("/").adapter())::subscribed);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            int sent = 0;
            while (System.nanoTime() < deadline) {
                one.server().emit("after", ++sent);   // pub/sub keeps nothing: send until one arrives
                if (Await.within(Duration.ofMillis(300), () -> !b.received("after").isEmpty())) {
                    break;
                }
            }
            assertThat(b.received("after")).as("broadcasts of server one after the restart reach server two's client").isNotEmpty();
        }
    }
}
