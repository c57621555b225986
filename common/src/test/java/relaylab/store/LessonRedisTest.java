package relaylab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** LessonRedis against real redis-server processes: each test starts its own and stops it. */
class LessonRedisTest {
    @TempDir
    Path data;

    @AfterEach
    void noServerLeft() {
        assertThat(LessonRedis.runningServers()).as("redis-server processes still running after the test").isEmpty();
    }

    @Test
    @DisplayName("without a URL an embedded redis-server starts on 127.0.0.1, answers commands, and close stops its process")
    void embeddedStartsAndStops() {
        ProcessHandle process;
        try (LessonRedis redis = LessonRedis.start(null, Map.of(), data)) {
            assertThat(redis.embedded()).as("embedded() without a URL").isTrue();
            assertThat(redis.url()).as("url()").startsWith("redis://127.0.0.1:");
            redis.client().set("greeting", "hello");
            assertThat(redis.client().get("greeting")).as("GET after SET").isEqualTo("hello");
            process = redis.serverProcess().orElseThrow(() -> new AssertionError("no redis-server process found"));
            assertThat(LessonRedis.runningServers()).as("redis-server processes while it runs").contains(process);
        }
        assertThat(process.isAlive()).as("the redis-server process after close()").isFalse();
    }

    @Test
    @DisplayName("the data folder keeps the keys across a close and a new start, and across stopServer/startServer")
    void dataSurvivesRestarts() {
        try (LessonRedis redis = LessonRedis.start(null, Map.of(), data)) {
            redis.client().rpush("list", "a", "b");
            int port = Integer.parseInt(redis.url().substring(redis.url().lastIndexOf(':') + 1));
            redis.stopServer();
            assertThat(redis.serverProcess()).as("the server process after stopServer()").isEmpty();
            assertThatThrownBy(() -> redis.client().get("list")).as("a command while the server is stopped")
                    .isInstanceOf(JedisConnectionException.class);
            redis.startServer();
            assertThat(redis.url()).as("the URL after startServer()").endsWith(":" + port);
            assertThat(redis.client().lrange("list", 0, -1)).as("the list after stopServer/startServer").containsExactly("a", "b");
            redis.client().rpush("list", "c");
        }
        try (LessonRedis again = LessonRedis.start(null, Map.of(), data)) {
            assertThat(again.client().lrange("list", 0, -1)).as("the list after close() and a new start on the same folder")
                    .containsExactly("a", "b", "c");
        }
    }

    @Test
    @DisplayName("REDIS_URL (or a URL given) is used instead of starting a server, and closing it leaves that Redis running")
    void urlIsHonoured() {
        try (LessonRedis own = LessonRedis.startEmbedded(data.resolve("own"))) {
            String key = "lesson-redis-test:" + UUID.randomUUID();
            own.client().set(key, "from the learner's Redis");
            try (LessonRedis viaEnv = LessonRedis.start(null, Map.of(LessonRedis.URL_VARIABLE, own.url()), data.resolve("unused"))) {
                assertThat(viaEnv.embedded()).as("embedded() with REDIS_URL set").isFalse();
                assertThat(viaEnv.url()).as("url() with REDIS_URL set").isEqualTo(own.url());
                assertThat(viaEnv.client().get(key)).as("a key of that Redis").isEqualTo("from the learner's Redis");
                assertThatThrownBy(viaEnv::stopServer).as("stopServer() on the learner's own Redis")
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("only a Redis this class started");
            }
            try (LessonRedis given = LessonRedis.start(own.url(), Map.of(LessonRedis.URL_VARIABLE, "redis://127.0.0.1:1"), data)) {
                assertThat(given.client().get(key)).as("a URL given wins over REDIS_URL").isEqualTo("from the learner's Redis");
            }
            assertThat(own.client().get(key)).as("the learner's Redis after the lesson closed its connection").isNotNull();
            own.client().del(key);
        }
        assertThat(data.resolve("unused")).as("no data folder is made for the learner's own Redis").doesNotExist();
    }

    @Test
    @DisplayName("a bad or unreachable URL gives one sentence saying what to do, not a stack trace")
    void badUrlsAreExplained() {
        assertThatThrownBy(() -> LessonRedis.start("localhost:6379", Map.of(), data))
                .isInstanceOf(LessonRedis.RedisUnavailableException.class).hasMessageContaining("redis://host:port");
        int closedPort = closedPort();
        assertThatThrownBy(() -> LessonRedis.start("redis://127.0.0.1:" + closedPort, Map.of(), data))
                .isInstanceOf(LessonRedis.RedisUnavailableException.class)
                .hasMessageContaining("Cannot reach Redis at redis://127.0.0.1:" + closedPort)
                .hasMessageContaining(LessonRedis.URL_VARIABLE);
    }

    @Test
    @DisplayName("a RELAYLAB_REDIS_SERVER that is not a program is refused with the way out")
    void badBinaryIsExplained() {
        Map<String, String> env = Map.of(LessonRedis.SERVER_VARIABLE, data.resolve("no-such-redis-server").toString());
        assertThatThrownBy(() -> LessonRedis.start(null, env, data))
                .isInstanceOf(LessonRedis.RedisUnavailableException.class).hasMessageContaining("unset it");
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
