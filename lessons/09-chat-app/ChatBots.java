// The library sources this lesson compiles with (JBang reads //SOURCES of a file named by //SOURCES too):
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.client.RealtimeClient;
import relaylab.workbook.Exercise;

/**
 * What lesson 09's main shows before you open the page: two bots register, type and chat, then ada
 * leaves, while the terminal prints every event linus receives; the page then starts with a history.
 * Nothing to write here; an unfinished TODO that a bot runs into is thrown, so main names it.
 * Main is the lesson's command line (ChatApp.main runs it).
 */
final class ChatBots {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ChatBots() {
    }

    /** Lesson 09's command line; ChatApp.main runs it. */
    static void main(String[] args) {
        Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; the lesson prints its own lines
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "lesson09", mixinStandardHelpOptions = true, version = "Relay Lab lesson 09",
            description = "Runs the chat: two bots chat first, then open the page in two browser tabs.")
    static final class Main implements Runnable {
        @Option(names = "--port", defaultValue = "3000", description = "port to listen on (0 picks a free one); default ${DEFAULT-VALUE}")
        int port;

        @Override
        public void run() {
            Exercise.run(ChatApp.class, () -> {
                if (ChatApp.class.getClassLoader().getResource(ChatApp.PAGE) == null) {
                    throw new IllegalStateException(ChatApp.PAGE + " is not on the classpath; start the lesson with ./jbang lesson09");
                }
                RealtimeServer server = RealtimeServer.create(ChatApp::configure);
                ChatApp app = new ChatApp(server);
                server.start(port);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.stop();
                    System.out.println("Chat server stopped.");
                }));
                String url = "http://localhost:" + server.port();
                System.out.println("Chat server on " + url + " (Ctrl-C stops it). Two bots chat first; linus shows what he receives:");
                ChatBots.run(app);
                System.out.println("Now open " + url + " in two browser tabs, pick a name in each and chat.");
                new CountDownLatch(1).await();
            });
        }
    }

    static void run(ChatApp app) throws Exception {
        String url = app.server.url();
        try (RealtimeClient ada = RealtimeClient.connect(url); RealtimeClient linus = RealtimeClient.connect(url)) {
            CountDownLatch seen = new CountDownLatch(2);
            CountDownLatch aloneOnline = new CountDownLatch(1);
            linus.onAny((event, args) -> {
                System.out.println("  linus <- " + event + " " + json(args));
                if (event.equals("receiveMessage")) {
                    seen.countDown();
                } else if (event.equals("onlineUsers") && List.of("linus").equals(args.get(0)) && seen.getCount() == 0) {
                    aloneOnline.countDown();
                }
            });
            expectOk(app, ada.emitWithAck("register", TIMEOUT, "ada"));
            expectOk(app, linus.emitWithAck("register", TIMEOUT, "linus"));
            ada.emit("typing", true);
            expectOk(app, ada.emitWithAck("sendMessage", TIMEOUT, "Hello! I am a bot. Open the page and say hi."));
            expectOk(app, linus.emitWithAck("sendMessage", TIMEOUT, "Hi ada! A <b>tag</b> in a message stays text."));
            if (!seen.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("linus did not receive both messages within " + TIMEOUT.toSeconds() + " s");
            }
            ada.disconnect();
            boolean updated = aloneOnline.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            expectNoTodo(app);
            if (!updated) {
                throw new IllegalStateException("linus did not get an online list without ada within " + TIMEOUT.toSeconds() + " s");
            }
        }
    }

    /** Waits for a bot's ack; throws the TODO a handler hit, or says what the server refused. */
    private static void expectOk(ChatApp app, CompletableFuture<List<Object>> ack) throws Exception {
        Object reply = ack.get(TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS).get(0);
        expectNoTodo(app);
        if (!(reply instanceof Map<?, ?> answer) || !Boolean.TRUE.equals(answer.get("ok"))) {
            throw new IllegalStateException("the server refused a bot: " + json(reply));
        }
    }

    /** Throws the first unfinished TODO a handler ran into, if any. */
    private static void expectNoTodo(ChatApp app) {
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
