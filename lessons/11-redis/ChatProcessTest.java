import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import relaylab.realtime.client.RealtimeClient;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;
import relaylab.store.LessonRedis;
import relaylab.store.testing.TestRedis;
import relaylab.workbook.Exercise;

/**
 * The lesson as a real process (its main, in a child JVM), stopped or killed: the history survives a restart,
 * no redis-server outlives the lesson, and a killed chat server's users leave the online list.
 */
class ChatProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("Chat server on (http://\\S+)");

    @RegisterExtension
    static final TestRedis redis = new TestRedis();

    /** A lesson process: {@code RedisChat --port 0 --no-bots ...}, its output collected, the URL it serves on. */
    private static final class LessonProcess implements AutoCloseable {
        final Process process;
        final List<String> output = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> url = new CompletableFuture<>();

        LessonProcess(Path workDir, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",   // starts faster: the grader's flags
                    "-Duser.home=" + workDir,   // no workbook registered with JBang there: the data folder is workDir's .relaylab/
                    "-cp", Exercise.childClassPath(RedisChat.class), RedisChat.class.getName(), "--port", "0", "--no-bots"));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
            builder.environment().remove("RELAYLAB_HOME");
            if (!command.contains("--redis-url")) {
                builder.environment().remove("REDIS_URL");   // this run is about the lesson's own, embedded Redis
            }
            process = builder.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        output.add(line);
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            url.complete(m.group(1));
                        }
                    }
                } catch (IOException e) {
                    output.add("(reading the lesson's output failed: " + e + ")");
                }
                url.completeExceptionally(new AssertionError("the lesson stopped without serving; it printed:\n" + String.join("\n", output)));
            }, "lesson-output");
            reader.setDaemon(true);
            reader.start();
        }

        String awaitUrl() throws Exception {
            try {
                return url.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the lesson did not print \"Chat server on ...\" within " + WAIT.toSeconds()
                        + " s; it printed:\n" + String.join("\n", output));
            }
        }

        /** Stops it like Ctrl-C (SIGTERM: shutdown hooks run) and waits until it is gone. */
        void stop() throws Exception {
            process.destroy();
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the lesson ended within " + WAIT.toSeconds()
                    + " s of SIGTERM; it printed:\n" + String.join("\n", output)).isTrue();
        }

        /** Ends the lesson if a test left it running: SIGTERM first (so it stops its Redis), then SIGKILL for it and its children. */
        @Override
        public void close() throws Exception {
            List<ProcessHandle> children = process.descendants().toList();
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                    child.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ack(RealtimeClient client, String event, Object arg) throws Exception {
        List<Object> reply = client.emitWithAck(event, Duration.ofSeconds(15), arg).get(20, TimeUnit.SECONDS);   // a child JVM under load
        return (Map<String, Object>) reply.get(0);
    }

    @Test
    @Tag("task:6") // the lesson as a process: its start-up check runs every task, so it needs them all
    @DisplayName("the lesson restarted on the data its embedded Redis kept: a newcomer gets the history; stopped, its redis-server is gone")
    void historySurvivesTheLessonsRestart() throws Exception {
        Path workDir = redis.folder("lesson-run");
        Path data = workDir.resolve(".relaylab").resolve("redis").resolve("lesson11");
        try (LessonRedis before = LessonRedis.startEmbedded(data)) {   // the lesson's earlier run, as far as Redis goes
            new ChatStore(before.client(), "chat:", 5_000).append(new ChatStore.Draft("ada", "from the earlier run",
                    "2026-12-01T10:00:00Z", "mark-1"));
        }
        try (LessonProcess lesson = new LessonProcess(workDir, "--heartbeat-ms", "200")) {
            String url = lesson.awaitUrl();
            List<ProcessHandle> redisServers = lesson.process.descendants()
                    .filter(p -> p.info().command().map(c -> c.contains("redis")).orElse(false)).toList();
            assertThat(redisServers).as("redis-server processes started by the lesson").hasSize(1);
            try (RealtimeClient client = RealtimeClient.connect(url)) {
                CompletableFuture<List<Object>> history = new CompletableFuture<>();
                client.on("chatHistory", args -> history.complete(args));
                assertThat(ack(client, "register", "bob")).as("the ack of register(\"bob\")").containsEntry("ok", true);
                assertThat(String.valueOf(history.get(10, TimeUnit.SECONDS).get(0))).as("the chatHistory bob got from the restarted lesson")
                        .contains("from the earlier run");
            }
            lesson.stop();
            ProcessHandle server = redisServers.get(0);
            assertThat(server.onExit().completeOnTimeout(null, WAIT.toSeconds(), TimeUnit.SECONDS).get())
                    .as("redis-server " + server.pid() + " ended after the lesson stopped").isNotNull();
            assertThat(server.isAlive()).as("redis-server " + server.pid() + " alive after the lesson stopped").isFalse();
        }
    }

    @Test
    @Tag("task:6") // the lesson as a process: its start-up check runs every task, so it needs them all
    @DisplayName("a chat server killed with its users online: they leave the online list after a few heartbeats, and their names free up")
    void killedServersUsersDisappear() throws Exception {
        Path workDir = redis.folder("killed");
        java.nio.file.Files.createDirectories(workDir);
        RedisChat[] app = new RedisChat[1];
        try (RealtimeFixture fx = RealtimeFixture.start(RedisChat::configure, server -> app[0] = new RedisChat(server, redis.client(),
                     new RedisChat.Settings(redis.prefix(), Duration.ofMillis(200), 1000, line -> { })))) {
            TestClient watcher = fx.client();   // before the other JVM starts and takes the CPU
            assertThat(watcher.ack("register", "watcher").get(0).toString()).as("the ack of register(\"watcher\")").contains("ok=true");
            try (LessonProcess doomed = new LessonProcess(workDir, "--redis-url", redis.redis().url(), "--prefix", redis.prefix(),
                         "--heartbeat-ms", "200");
                 RealtimeClient ghost = RealtimeClient.connect(doomed.awaitUrl())) {
                assertThat(ack(ghost, "register", "ghost")).as("the ack of register(\"ghost\") on the other server").containsEntry("ok", true);
                watcher.await("onlineUsers", args -> List.of("ghost", "watcher").equals(args.get(0)), WAIT);
                doomed.process.destroyForcibly();   // a crash: no disconnect, no clean-up
                assertThat(doomed.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the killed server ended").isTrue();
                watcher.await("onlineUsers", args -> List.of("watcher").equals(args.get(0)), WAIT);
            } finally {
                app[0].close();
            }
            TestClient again = fx.client();
            long deadline = System.nanoTime() + WAIT.toNanos();
            Object reply;
            do {   // the name's key expires 3 heartbeats after the last refresh
                reply = again.ack("register", "ghost").get(0);
            } while (reply.toString().contains("taken") && System.nanoTime() < deadline && pause());
            assertThat(reply.toString()).as("the ack of register(\"ghost\") after the killed server's name expired").contains("ok=true");
        }
    }

    /** A short pause between two tries of an action whose answer changes with time (not a wait for an event). */
    private static boolean pause() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }
}
