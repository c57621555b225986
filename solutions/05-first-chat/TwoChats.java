import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeServer;
import relaylab.workbook.Exercise;

/**
 * Lesson 05's command line (FirstChat.main runs it) and what both chats share (checking a message, JSON). Main starts
 * the bare WebSocket chat of part one (BareChat, on its own port) and, unless --bare, the Socket.IO chat of part two;
 * one web server serves both pages. It serves until Ctrl-C, or until a handler runs into an unfinished TODO, which
 * Exercise.run then names. Nothing to write here.
 */
final class TwoChats {
    /** The longest chat message both chats accept. */
    static final int MAX_LENGTH = 500;
    /** Java-WebSocket logs every error it also hands to BareChat.onError; kept here so the level sticks. */
    private static final Logger JAVA_WEBSOCKET_LOG = Logger.getLogger("org.java_websocket");

    private TwoChats() {
    }

    /** Silences Java-WebSocket's own log: BareChat.onError reports each error once, in the chat's words. */
    static void quietJavaWebSocket() {
        JAVA_WEBSOCKET_LOG.setLevel(Level.OFF);
    }

    /** Starts a bare chat on host:port (0 picks a free port) and waits until it listens. */
    static BareChat startBare(String host, int port) throws InterruptedException {
        quietJavaWebSocket();
        BareChat chat = new BareChat(new InetSocketAddress(host, port));
        chat.start();
        try {
            return chat.started.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            stop(chat);
            String next = e.getCause() instanceof BindException ? "; is another lesson running? Try --ws-port 0" : "";
            throw new IllegalStateException("the bare chat could not listen on port " + port + ": " + e.getCause().getMessage()
                    + next, e.getCause());
        } catch (TimeoutException e) {
            stop(chat);
            throw new IllegalStateException("the bare chat did not start listening on port " + port + " within 10 s", e);
        }
    }

    /** Stops a bare chat: closes every connection (1001 going away) and frees its port, waiting up to 2 s. */
    static void stop(BareChat chat) throws InterruptedException {
        chat.stop(2000);
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** A frame of the bare chat as JSON text, e.g. {"type":"chat","from":3,"text":"hi"}. */
    static String json(Object frame) {
        try {
            return JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + frame + " as JSON", e);
        }
    }

    /** The text of a bare chat frame {"text":"hi"}, checked; an IllegalArgumentException says what is wrong. */
    static String textOf(String frame) {
        try {
            return checked(JSON.readTree(frame).path("text").textValue());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("send JSON like {\"text\": \"hi\"}; this is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A chat message as both chats accept it: a string, trimmed, not empty, at most MAX_LENGTH characters. */
    static String checked(String raw) {
        String text = raw == null ? null : raw.strip();
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(raw == null ? "a chat message is a string of text" : "the message is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a message has at most " + MAX_LENGTH + " characters, this one " + text.length());
        }
        return text;
    }

    @Command(name = "lesson05", mixinStandardHelpOptions = true, version = "Relay Lab lesson 05",
            description = {"Starts both chats of lesson 05: the bare WebSocket chat (part one) and the Socket.IO chat (part two).",
                    "Open the printed addresses in two browser tabs each; Ctrl-C stops."})
    static final class Main implements Runnable {
        @Option(names = "--bare", description = "Part one only: the bare WebSocket chat and its page, no Socket.IO chat.")
        boolean bareOnly;

        @Option(names = "--port", defaultValue = "3000", description = "The web server's port: the pages, and Socket.IO (default: ${DEFAULT-VALUE}; 0 picks a free one).")
        int port;

        @Option(names = "--ws-port", defaultValue = "3001", description = "The bare WebSocket chat's port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
        int wsPort;

        @Override
        public void run() {
            Exercise.run(FirstChat.class, () -> {
                Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; the lesson prints its own lines
                RealtimeServer web = RealtimeServer.create(FirstChat::configure);
                if (!bareOnly) {
                    FirstChat.setup(web);
                }
                web.start(port);
                BareChat bare;
                try {
                    bare = startBare("127.0.0.1", wsPort);
                } catch (RuntimeException e) {
                    web.stop();
                    throw e;
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        stop(bare);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    web.stop();
                    System.out.println("Chat servers stopped.");
                }));
                String site = "http://localhost:" + web.port();
                System.out.println("Part one, bare WebSocket chat: " + site + "/bare.html?ws=" + bare.getPort()
                        + " (its WebSocket: ws://localhost:" + bare.getPort() + ")");
                if (!bareOnly) {
                    System.out.println("Part two, Socket.IO chat:      " + site + "/");
                }
                System.out.println("Open each in two browser tabs; connections and messages are logged here. Ctrl-C stops.");
                CompletableFuture<Object> todo = CompletableFuture.anyOf(bare.unfinished,
                        CompletableFuture.supplyAsync(() -> {
                            try {
                                return FirstChat.UNFINISHED.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return new IllegalStateException("interrupted");
                            }
                        }));
                throw (RuntimeException) todo.get();
            });
        }
    }
}
