///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/client/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/internal/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/protocol/*.java
//FILES index.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relaylab.realtime.Handshake;
import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.TodoRecorder;
import relaylab.workbook.Exercise;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 05: the first WebSocket chat. One server serves the page and keeps a WebSocket open to every
 * browser that loads it; a message from any of them goes to all of them, the sender included.
 */
@Lesson(number = 5, title = "First chat",
        summary = "A WebSocket chat server and its page: every message goes to everyone, the sender included.")
@Command(name = "lesson05", mixinStandardHelpOptions = true, version = "Relay Lab lesson 05",
        description = "Starts the lesson 05 chat server; open the printed address in two browser tabs.")
public class FirstChat implements Callable<Integer> {
    static final int MAX_LENGTH = 500;

    @Option(names = "--port", defaultValue = "3000", description = "The port to serve on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    /** What every browser receives for each message: who sent it (a socket id) and the text. */
    record Message(String from, String text) {
    }

    @Task(number = 3, title = "Send what the user typed",
            hint = "In index.html, send(text) is called when the form is submitted: socket.emit('chat', text)"
                    + " hands the text to the server as a \"chat\" event.")
    static final String PAGE_SENDS = "index.html: send(text)";

    @Task(number = 4, title = "Show each message as text",
            hint = "In index.html, show(message) gets {from, text}: create an <li>, set its textContent (never"
                    + " innerHTML) to message.from.slice(0, 6) + ': ' + message.text, append it to #messages.")
    static final String PAGE_SHOWS = "index.html: show(message)";

    /** Where the server writes its log lines: the terminal, or a list in the tests. */
    static volatile Consumer<String> log = System.out::println;

    /** The first unfinished TODO a server handler ran into; the run stops with it (see main). */
    static final TodoRecorder UNFINISHED = new TodoRecorder();

    /** The server's settings: index.html comes from the classpath root (the core serves /socket.io/socket.io.js). */
    static void configure(RealtimeConfig cfg) {
        cfg.staticFiles(FirstChat.class, "/");
    }

    /**
     * The server's behaviour: log each connection, relay each chat message, refuse bad ones. A handler that
     * runs into an unfinished TODO is reported to UNFINISHED, and the connection goes on.
     */
    static void setup(RealtimeServer server) {
        server.onHandlerError(UNFINISHED);
        server.on("connection", socket -> {
            socket.on("chat", args -> {
                try {
                    String text = textOf(args);
                    log.accept("  " + socket.id() + " says: " + text);
                    relay(server, socket, text);
                } catch (IllegalArgumentException e) {
                    log.accept("  " + socket.id() + " sent a bad message: " + e.getMessage());
                    socket.emit("problem", e.getMessage());
                }
            });
            socket.onDisconnect(reason -> log.accept("  " + socket.id() + " left (" + reason + ")"));
            log.accept(upgradeLine(socket.id(), socket.handshake())); // last: a TODO here skips nothing else
        });
    }

    @Task(number = 1, title = "Log each connection's upgrade",
            hint = "transport = handshake.query().get(\"transport\"); the upgrade header is"
                    + " handshake.headers().get(\"upgrade\") (a list, or null). With transport \"websocket\" and that"
                    + " header: id + \" connected from \" + address + \": HTTP GET upgraded to WebSocket (EIO=\" + eio"
                    + " + \")\". Otherwise: id + \" connected from \" + address + \": HTTP long-polling (EIO=\" + eio"
                    + " + \"), not upgraded\".")
    static String upgradeLine(String id, Handshake handshake) {
        // TODO 1: describe how this socket connected: upgraded to WebSocket, or long-polling (task 1)
        throw new UnsupportedOperationException("TODO 1: describe the connection's upgrade");
    }

    @Task(number = 2, title = "Relay every message to everyone",
            hint = "server.emit(\"chat\", new Message(from.id(), text)) reaches every connected socket, the sender"
                    + " too; from.emit(...) would reach only the sender.")
    static void relay(RealtimeServer server, RealtimeSocket from, String text) {
        // TODO 2: send the message to every connected socket, the sender too (task 2)
        throw new UnsupportedOperationException("TODO 2: relay the message to everyone");
    }

    /** The text of a "chat" event, trimmed; an IllegalArgumentException says what is wrong with it. */
    static String textOf(List<Object> args) {
        if (args.isEmpty() || !(args.get(0) instanceof String raw)) {
            throw new IllegalArgumentException("a chat message is one string, e.g. socket.emit('chat', 'hi'); got " + args);
        }
        String text = raw.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the message is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a message has at most " + MAX_LENGTH + " characters, this one " + text.length());
        }
        return text;
    }

    @Override
    public Integer call() {
        Exercise.run(FirstChat.class, () -> {
            RealtimeServer server = RealtimeServer.create(FirstChat::configure);
            setup(server);
            server.start(port);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop();
                System.out.println("Chat server stopped.");
            }));
            System.out.println("Chat server at http://localhost:" + server.port() + " — open it in two browser tabs.");
            System.out.println("Each connection and each message is logged here. Ctrl-C stops.");
            throw UNFINISHED.await();
        });
        return 0;
    }

    public static void main(String[] args) {
        Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; the lesson prints its own lines
        System.exit(new CommandLine(new FirstChat()).execute(args));
    }
}
