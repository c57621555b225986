// The libraries, files and library sources this lesson runs with (JBang reads //DEPS, //FILES and //SOURCES of a
// file named by //SOURCES too):
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//DEPS redis.clients:jedis:8.0.2
//DEPS com.github.codemonstur:embedded-redis:1.4.4
//FILES index.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/client/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/internal/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/protocol/*.java
//SOURCES ../../common/src/main/java/relaylab/store/LessonRedis.java ../../common/src/main/java/relaylab/store/EmbeddedRedis.java
//SOURCES ../../common/src/main/java/relaylab/store/LessonData.java

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.XAddParams;
import relaylab.realtime.client.RealtimeClient;
import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.RealtimeServer;
import relaylab.store.LessonData;
import relaylab.store.LessonRedis;
import relaylab.workbook.Exercise;

/**
 * Lesson 11's command line (RedisChat.main runs it): starts or finds Redis, then the chat with two bots, or
 * prints what is in Redis (--inspect), or measures one round trip per message against a pipeline (--measure).
 * Nothing to write here; an unfinished TODO that the demo runs into is reported by Exercise.run.
 */
final class RedisChatRunner {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private RedisChatRunner() {
    }

    static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "lesson11", mixinStandardHelpOptions = true, version = "Relay Lab lesson 11",
            description = "Runs the chat with its history, names and presence in Redis: two bots chat first, then open the page.")
    static final class Main implements Runnable {
        @Option(names = "--port", defaultValue = "3000", description = "port to listen on (0 picks a free one); default ${DEFAULT-VALUE}")
        int port;
        @Option(names = "--redis-url", description = "your own Redis, e.g. redis://localhost:6379 (default: $REDIS_URL, else an embedded one)")
        String redisUrl;
        @Option(names = "--fresh", description = "start with no history: delete the chat's keys (those starting with chat:)")
        boolean fresh;
        @Option(names = "--inspect", description = "print the chat's keys in Redis (types, sizes, the last 5 messages) and exit")
        boolean inspect;
        @Option(names = "--measure", description = "measure XADD one round trip per message against a pipeline (medians of 3) and exit")
        boolean measure;
        @Option(names = "--heartbeat-ms", defaultValue = "5000", description = "presence heartbeat in ms; default ${DEFAULT-VALUE}")
        long heartbeatMillis;
        @Option(names = "--prefix", defaultValue = "chat:", hidden = true, description = "key prefix (tests use their own)")
        String prefix;
        @Option(names = "--no-bots", hidden = true, description = "serve at once, without the bots (tests)")
        boolean noBots;

        @Override
        public void run() {
            Exercise.run(RedisChat.class, () -> {
                Path data = LessonData.lesson11Redis(LessonData.folder());
                LessonRedis redis;
                try {
                    redis = LessonRedis.start(redisUrl, data);
                } catch (LessonRedis.RedisUnavailableException e) {
                    System.err.println("Lesson 11 needs Redis. " + e.getMessage());
                    System.exit(1);
                    return;
                }
                try {
                    System.out.println("Redis " + redis.version() + " at " + redis.url() + (redis.embedded()
                            ? " (embedded, data in " + data + ")" : redis.attached() ? " (the one of the lesson running now)" : " (yours)"));
                    if (fresh) {
                        System.out.println("--fresh: deleted " + redis.deleteKeys(prefix) + " keys starting with " + prefix);
                    }
                    if (inspect) {
                        Inspect.describe(redis.client(), prefix).forEach(System.out::println);
                    } else if (measure) {
                        measure(redis.client(), prefix);   // plain Jedis: works before any task is done
                    } else {
                        checkInTaskOrder(redis);
                        serve(redis);
                    }
                } finally {
                    redis.close();
                }
            });
        }

        private void serve(LessonRedis redis) throws Exception {
            if (RedisChat.class.getClassLoader().getResource("index.html") == null) {
                throw new IllegalStateException("index.html is not on the classpath; start the lesson with ./jbang lesson11");
            }
            Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; the lesson prints its own lines
            RealtimeServer server = RealtimeServer.create(RedisChat::configure);
            RedisChat.Settings settings = new RedisChat.Settings(prefix, Duration.ofMillis(heartbeatMillis), 1000,
                    line -> System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line));
            RedisChat app = new RedisChat(server, redis.client(), settings);
            server.start(port);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                server.stop();
                redis.close();
                System.out.println("Chat server stopped" + (redis.embedded() ? ", and its Redis." : "."));
                stopped.countDown();
            }));
            String url = "http://localhost:" + server.port();
            System.out.println("Chat server on " + url + " (Ctrl-C stops it).");
            if (!noBots) {
                System.out.println("Two bots chat; linus shows what he receives:");
                bots(app, server.url());
                System.out.println("Now open " + url + " in two browser tabs and chat. Stop the lesson and start it again:"
                        + " the history is still there. ./jbang lesson11 --inspect shows the keys.");
            }
            stopped.await();
        }
    }

    /**
     * Runs the code of each task once, in task order, on throwaway keys (deleted again), so that an unfinished
     * exercise names the first TODO left, not the first one the bots happen to reach.
     */
    static void checkInTaskOrder(LessonRedis redis) {
        String prefix = "chat-check-" + UUID.randomUUID() + ":";
        ChatStore store = new ChatStore(redis.client(), prefix, 1000);
        Presence presence = new Presence(redis.client(), prefix, 1000);
        try (SaveQueue queue = new SaveQueue(store, 1, saved -> { }, line -> { })) {
            String id = store.append(new ChatStore.Draft("check", "check", "2026-12-01T00:00:00Z", "check"));
            store.latest(1);
            store.after(id, 1);
            store.claim("check", "check");
            store.refresh("check", "check");
            store.release("check", "check");
            presence.beat(List.of("check"), 1);
            presence.prune(1);
            presence.online();
            presence.leave("check");
            queue.save(new ChatStore.Draft("check", "check", "2026-12-01T00:00:00Z", "check"));
            queue.flush();
            Inspect.describe(redis.client(), prefix);
        } finally {
            redis.deleteKeys(prefix);
        }
    }

    /** Two bots register and chat, then leave; linus prints what he receives (the history as a count). */
    static void bots(RedisChat app, String url) throws Exception {
        try (RealtimeClient ada = RealtimeClient.connect(url); RealtimeClient linus = RealtimeClient.connect(url)) {
            CountDownLatch seen = new CountDownLatch(2);
            linus.onAny((event, args) -> {
                if (event.equals("chatHistory") && args.get(0) instanceof List<?> history) {
                    System.out.println("  linus <- chatHistory with " + history.size() + " messages from earlier runs");
                    return;
                }
                System.out.println("  linus <- " + event + " " + json(args));
                if (event.equals("receiveMessage")) {
                    seen.countDown();
                }
            });
            expectOk(app, ada.emitWithAck("register", TIMEOUT, "ada"));
            expectOk(app, linus.emitWithAck("register", TIMEOUT, "linus"));
            expectOk(app, ada.emitWithAck("sendMessage", TIMEOUT, "Hello! I am kept in a Redis Stream."));
            expectOk(app, linus.emitWithAck("sendMessage", TIMEOUT, "Restart the lesson: we will still be here."));
            if (!seen.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("linus did not receive both messages within " + TIMEOUT.toSeconds() + " s");
            }
        }
        app.unfinished.throwIfAny();
    }

    private static void expectOk(RedisChat app, CompletableFuture<List<Object>> ack) throws Exception {
        Object reply = ack.get(TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS).get(0);
        app.unfinished.throwIfAny();
        if (!(reply instanceof Map<?, ?> answer) || !Boolean.TRUE.equals(answer.get("ok"))) {
            throw new IllegalStateException("the server refused a bot: " + json(reply));
        }
    }

    /**
     * Stores the same messages twice, with one XADD round trip per message and with all of them in one
     * pipeline, three runs each after a warm-up, and prints the medians in messages per second.
     */
    static void measure(RedisClient redis, String prefix) {
        int count = 20_000;
        String key = prefix + "measure:" + UUID.randomUUID();
        XAddParams params = XAddParams.xAddParams().maxLen(ChatStore.MAX_MESSAGES).approximateTrimming();
        Map<String, String> fields = Map.of("user", "bench", "text", "a message of a typical length for a chat, about sixty bytes",
                "time", "2026-12-01T00:00:00Z");
        try {
            List<Double> single = new ArrayList<>();
            List<Double> pipelined = new ArrayList<>();
            for (int run = -1; run <= 3; run++) {   // runs -1 and 0 warm up the JIT and the connection
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    redis.xadd(key, params, fields);
                }
                double oneByOne = count / ((System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                try (Pipeline pipeline = redis.pipelined()) {
                    for (int i = 0; i < count; i++) {
                        pipeline.xadd(key, params, fields);
                    }
                    pipeline.sync();
                }
                double batched = count / ((System.nanoTime() - start) / 1e9);
                if (run > 0) {
                    single.add(oneByOne);
                    pipelined.add(batched);
                    System.out.printf("  run %d: one round trip per message %,.0f messages/s; pipelined %,.0f messages/s%n", run, oneByOne, batched);
                }
            }
            double a = median(single);
            double b = median(pipelined);
            System.out.printf("XADD of %,d messages, medians of 3 runs (./jbang lesson11 --measure):%n", count);
            System.out.printf("  one round trip per message: %,10.0f messages/s%n", a);
            System.out.printf("  pipelined (one batch):      %,10.0f messages/s  (%.1fx)%n", b, b / a);
        } finally {
            redis.del(key);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get(sorted.size() / 2);
    }

    private static String json(Object value) {
        try {
            return RealtimeJson.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);   // cannot happen for what the server sends; show it as Java sees it
        }
    }
}
