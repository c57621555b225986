import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.client.RealtimeClient;

/**
 * What lesson 09's main shows before you open the page: two bots register, type and chat, then ada
 * leaves, while the terminal prints every event linus receives; the page then starts with a history.
 * Nothing to write here; an unfinished TODO that a bot runs into is thrown, so main names it.
 */
final class ChatBots {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ChatBots() {
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
