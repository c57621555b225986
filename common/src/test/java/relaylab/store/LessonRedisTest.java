package relaylab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** LessonRedis against real redis-server processes: each test starts its own and stops it. */
class LessonRedisTest {
    @TempDir
    Path data;

    /** The environment the tests give LessonRedis: only RELAYLAB_REDIS_SERVER (CI's second run sets it), plus extra pairs. */
    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new java.util.HashMap<>();
        String binary = System.getenv(LessonRedis.SERVER_VARIABLE);
        if (binary != null) {
            env.put(LessonRedis.SERVER_VARIABLE, binary);
        }
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @AfterEach
    void noServerLeft() {
        assertThat(LessonRedis.runningServers()).as("redis-server processes still running after the test").isEmpty();
    }

    @Test
    @DisplayName("without a URL an embedded redis-server starts on 127.0.0.1, answers commands, and close stops its process")
    void embeddedStartsAndStops() {
        ProcessHandle process;
        try (LessonRedis redis = LessonRedis.start(null, env(), data)) {
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
        try (LessonRedis redis = LessonRedis.start(null, env(), data)) {
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
        try (LessonRedis again = LessonRedis.start(null, env(), data)) {
            assertThat(again.client().lrange("list", 0, -1)).as("the list after close() and a new start on the same folder")
                    .containsExactly("a", "b", "c");
        }
    }

    @Test
    @DisplayName("a second start on a folder whose server runs for a live program attaches to it, and its close leaves it running")
    void secondStartAttaches() {
        try (LessonRedis first = LessonRedis.start(null, env(), data)) {
            try (LessonRedis second = LessonRedis.start(null, env(), data)) {
                assertThat(second.attached()).as("attached() of the second start on the same folder").isTrue();
                assertThat(second.embedded()).as("embedded() of the second start (it started nothing)").isFalse();
                assertThat(second.url()).as("url() of the second start").isEqualTo(first.url());
                second.client().set("from-second", "yes");
            }
            assertThat(first.serverProcess()).as("the first server's process after the second closed").isPresent();
            assertThat(first.client().get("from-second")).as("a key written through the attached client").isEqualTo("yes");
        }
    }

    @Test
    @DisplayName("a redis-server left running on the data folder by a killed run (an orphan) is stopped by the next start")
    void orphanIsStopped() throws Exception {
        Path binary = data.resolve("redis-server-copy");
        try (LessonRedis first = LessonRedis.start(null, env(), data)) {
            first.client().set("kept", "yes");
            Path running = Path.of(first.serverProcess().orElseThrow().info().command().orElseThrow());
            java.nio.file.Files.copy(running, binary);
            binary.toFile().setExecutable(true);
        }
        int port = closedPort();
        Path pidFile = data.resolve("redis.pid");
        ProcessHandle orphan = null;
        try {
            // --daemonize: redis-server forks and its parent exits at once, as when the JVM that started it was killed
            Process daemon = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--daemonize", "yes", "--dir", data.toString(), "--pidfile", pidFile.toString(),
                    "--appendonly", "yes").redirectErrorStream(true).start();
            assertThat(daemon.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("the daemonizing redis-server returned").isTrue();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (!pidWritten(pidFile) && System.nanoTime() < deadline) {
                Thread.sleep(20);   // the daemon writes its pid file as it starts (created first, then written)
            }
            orphan = ProcessHandle.of(Long.parseLong(java.nio.file.Files.readString(pidFile).strip()))
                    .orElseThrow(() -> new AssertionError("the orphan redis-server is not running"));
            java.nio.file.Files.writeString(data.resolve("redis.url"), "redis://127.0.0.1:" + port);
            try (LessonRedis next = LessonRedis.start(null, env(), data)) {
                assertThat(next.attached()).as("attached() when the folder's server is an orphan").isFalse();
                assertThat(orphan.isAlive()).as("the orphan redis-server after the next start").isFalse();
                assertThat(next.client().get("kept")).as("a key written before").isEqualTo("yes");
            }
        } finally {
            // whatever failed above, no daemon outlives the test
            if (orphan != null) {
                orphan.destroyForcibly();
            } else if (pidWritten(pidFile)) {
                ProcessHandle.of(Long.parseLong(java.nio.file.Files.readString(pidFile).strip()))
                        .filter(p -> p.info().command().map(c -> c.equals(binary.toString())).orElse(false))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static boolean pidWritten(Path pidFile) throws java.io.IOException {
        return java.nio.file.Files.exists(pidFile) && java.nio.file.Files.readString(pidFile).strip().matches("\\d+");
    }

    @Test
    @DisplayName("close() ends a redis-server that refuses to exit because its final save fails (its folder was deleted)")
    void stubbornServerIsKilled() throws Exception {
        Path doomed = data.resolve("doomed");
        ProcessHandle process;
        try (LessonRedis redis = LessonRedis.start(null, env(), doomed)) {
            redis.client().set("unsaved", "change");
            process = redis.serverProcess().orElseThrow(() -> new AssertionError("no redis-server process found"));
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(doomed)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(file);
                }
            }
        }
        assertThat(process.isAlive()).as("the redis-server process after close()").isFalse();
    }

    @Test
    @DisplayName("REDIS_URL (or a URL given) is used instead of starting a server, and closing it leaves that Redis running")
    void urlIsHonoured() {
        try (LessonRedis own = LessonRedis.startEmbedded(data.resolve("own"))) {
            String key = "lesson-redis-test:" + UUID.randomUUID();
            own.client().set(key, "from the learner's Redis");
            try (LessonRedis viaEnv = LessonRedis.start(null, env(LessonRedis.URL_VARIABLE, own.url()), data.resolve("unused"))) {
                assertThat(viaEnv.embedded()).as("embedded() with REDIS_URL set").isFalse();
                assertThat(viaEnv.url()).as("url() with REDIS_URL set").isEqualTo(own.url());
                assertThat(viaEnv.client().get(key)).as("a key of that Redis").isEqualTo("from the learner's Redis");
                assertThatThrownBy(viaEnv::stopServer).as("stopServer() on the learner's own Redis")
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("only a Redis this class started");
            }
            try (LessonRedis given = LessonRedis.start(own.url(), env(LessonRedis.URL_VARIABLE, "redis://127.0.0.1:1"), data)) {
                assertThat(given.client().get(key)).as("a URL given wins over REDIS_URL").isEqualTo("from the learner's Redis");
            }
            assertThat(own.client().get(key)).as("the learner's Redis after the lesson closed its connection").isNotNull();
            own.client().set("other:" + key, "not mine");
            assertThat(own.deleteKeys("lesson-redis-test:")).as("keys deleted by deleteKeys(\"lesson-redis-test:\")").isEqualTo(1);
            assertThat(own.client().get("other:" + key)).as("a key with another prefix after deleteKeys").isEqualTo("not mine");
        }
        assertThat(data.resolve("unused")).as("no data folder is made for the learner's own Redis").doesNotExist();
    }

    @Test
    @DisplayName("with REDIS_URL set in the environment (CI's second run: Debian's Redis), start(null, folder) uses it")
    void environmentUrlIsUsed() {
        String url = System.getenv(LessonRedis.URL_VARIABLE);
        Assumptions.assumeTrue(url != null, "REDIS_URL is not set; .ci/run sets it for its second run of the Redis tests");
        try (LessonRedis redis = LessonRedis.start(null, data.resolve("unused"))) {
            assertThat(redis.embedded()).as("embedded() with REDIS_URL=" + url).isFalse();
            assertThat(redis.url()).as("url() with REDIS_URL set").isEqualTo(url);
            assertThat(redis.client().ping()).as("PING to " + url).isEqualTo("PONG");
        }
        assertThat(data.resolve("unused")).as("no data folder is made for REDIS_URL's Redis").doesNotExist();
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
