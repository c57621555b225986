// The libraries, files and library sources this lesson runs with (JBang reads //DEPS, //FILES and //SOURCES of a
// file named by //SOURCES too):
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//FILES index.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/client/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/internal/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/protocol/*.java

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.client.RealtimeClient;
import relaylab.workbook.Exercise;

/**
 * What lesson 08's main shows before you open the page: three bots move to different rooms, talk and
 * whisper, an admin on /admin announces, and grace leaves; each bot prints what it receives, so you
 * see who hears what. Nothing to write here; an unfinished TODO that a bot runs into is thrown, so main names it.
 * Main is the lesson's command line (Rooms.main runs it).
 */
final class RoomsBots {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private RoomsBots() {
    }

    @Command(name = "lesson08", mixinStandardHelpOptions = true, version = "Relay Lab lesson 08",
            description = "Runs the rooms chat: three bots and an admin show rooms at work, then open the page.")
    static final class Main implements Runnable {
        @Option(names = "--port", defaultValue = "3000", description = "port to listen on (0 picks a free one); default ${DEFAULT-VALUE}")
        int port;

        @Override
        public void run() {
            Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; the lesson prints its own lines
            Exercise.run(Rooms.class, () -> {
                if (Rooms.class.getClassLoader().getResource("index.html") == null) {
                    throw new IllegalStateException("index.html is not on the classpath; start the lesson with ./jbang lesson08");
                }
                RealtimeServer server = RealtimeServer.create(RoomsEvents::configure);
                Rooms app = new Rooms(server);
                server.start(port);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.stop();
                    System.out.println("Rooms server stopped.");
                }));
                String url = "http://localhost:" + server.port();
                System.out.println("Rooms chat on " + url + " (Ctrl-C stops it). Bots ada, linus and grace show what they receive:");
                RoomsBots.run(app, server.url());
                System.out.println("Now open " + url + " in two browser tabs, pick a name in each, switch rooms and whisper.");
                new CountDownLatch(1).await();
            });
        }
    }

    static void run(Rooms app, String url) throws Exception {
        try (RealtimeClient ada = bot(url, "ada"); RealtimeClient linus = bot(url, "linus"); RealtimeClient grace = bot(url, "grace");
             RealtimeClient boss = RealtimeClient.connect(url, o -> o.namespace("/admin"))) {
            expectOk(app, linus.emitWithAck("join", TIMEOUT, "library"));
            expectOk(app, grace.emitWithAck("join", TIMEOUT, "games"));
            expectOk(app, ada.emitWithAck("say", TIMEOUT, "Hello, lobby! Anyone here?"));
            expectOk(app, ada.emitWithAck("whisper", TIMEOUT, Map.of("to", "grace", "text", "psst, come back to the lobby")));
            Object reached = expectOk(app, boss.emitWithAck("announce", TIMEOUT, "The chat closes at midnight.")).get("reached");
            System.out.println("  (the announcement reached " + reached + " sockets: not linus, he is in the "
                    + Rooms.QUIET_ROOM + ")");
            CountDownLatch graceLeft = new CountDownLatch(1);
            ada.on("left", args -> {
                if (args.get(0) instanceof Map<?, ?> presence && "grace".equals(presence.get("name"))) {
                    graceLeft.countDown();
                }
            });
            expectOk(app, grace.emitWithAck("join", TIMEOUT, "lobby"));
            grace.disconnect();
            boolean heard = graceLeft.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            expectNoTodo(app);
            if (!heard) {
                throw new IllegalStateException("ada did not hear that grace left the lobby within " + TIMEOUT.toSeconds() + " s");
            }
        }
    }

    /** A chat bot with this name that prints every event it receives. */
    private static RealtimeClient bot(String url, String name) {
        RealtimeClient client = RealtimeClient.connect(url, Map.of("name", name));
        client.onAny((event, args) -> System.out.println("  " + name + " <- " + event + " " + json(args.get(0))));
        return client.awaitConnected(TIMEOUT);
    }

    /** Waits for a bot's ack; throws the TODO a handler hit, or says what the server refused. */
    private static Map<?, ?> expectOk(Rooms app, CompletableFuture<List<Object>> ack) throws Exception {
        Object reply = ack.get(TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS).get(0);
        expectNoTodo(app);
        if (!(reply instanceof Map<?, ?> answer) || !Boolean.TRUE.equals(answer.get("ok"))) {
            throw new IllegalStateException("the server refused a bot: " + json(reply));
        }
        return answer;
    }

    /** Throws the first unfinished TODO a handler ran into, if any. */
    private static void expectNoTodo(Rooms app) {
        app.unfinished.throwIfAny();
    }

    private static String json(Object value) {
        try {
            return RealtimeJson.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);   // cannot happen for what the server sends; show it as Java sees it
        }
    }
}
