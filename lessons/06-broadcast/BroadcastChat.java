///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
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
//SOURCES ChatWorker.java ChatWorkerBase.java
//SOURCES ChatCrew.java
//FILES index.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js

import java.util.List;
import java.util.function.Consumer;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.TodoRecorder;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 06: broadcast. A message goes to everyone except its sender, a newcomer is welcomed alone,
 * and simulated users (the chat workers) show that nobody has to ask for news. The command line and the
 * demo: ChatCrew.java.
 */
@Lesson(number = 6, title = "Broadcast and chat workers",
        summary = "Send to everyone but the sender, welcome a newcomer alone, and run simulated users that chat at random.")
public class BroadcastChat {
    static final int MAX_LENGTH = 500;

    /** A chat message as every receiver gets it: the sender's socket id and the text. */
    record Message(String from, String text) {
    }

    /** What a newcomer alone receives: its own socket id and how many others are connected. */
    record Welcome(String you, int others) {
    }

    @Task(number = 5, title = "Show your own message yourself",
            hint = "In index.html, send(text): emit it with socket.emit('chat', text), then call"
                    + " show('you', text, true): the server no longer sends it back to you.")
    static final String PAGE_SHOWS_OWN = "index.html: send(text)";

    /** Where the server writes its log lines: the terminal, or nowhere in the tests. */
    static volatile Consumer<String> log = System.out::println;

    /** The first unfinished TODO a server handler ran into; the run stops with it. */
    static final TodoRecorder UNFINISHED = new TodoRecorder();

    /** The server's settings: index.html comes from the classpath root (the core serves /socket.io/socket.io.js). */
    static void configure(RealtimeConfig cfg) {
        cfg.staticFiles(BroadcastChat.class, "/");
    }

    /**
     * The server's behaviour: welcome each newcomer, broadcast each chat message, refuse bad ones. A handler
     * that runs into an unfinished TODO is reported to UNFINISHED, and the connection goes on.
     */
    static void setup(RealtimeServer server) {
        server.onHandlerError(UNFINISHED);
        server.on("connection", socket -> {
            socket.on("chat", args -> {
                try {
                    String text = textOf(args);
                    int receivers = broadcast(socket, text);
                    log.accept("  server: " + socket.id() + " → " + receivers + " other(s): " + text);
                } catch (IllegalArgumentException e) {
                    socket.emit("problem", e.getMessage());
                }
            });
            socket.onDisconnect(reason -> log.accept("  server: " + socket.id() + " left (" + reason + ")"));
            log.accept("  server: " + socket.id() + " connected");
            welcome(server, socket); // last: a TODO here skips nothing else
        });
    }

    @Task(number = 1, title = "A welcome for the newcomer alone",
            hint = "newcomer.emit(...) reaches that one socket: send \"welcome\" with new Welcome(newcomer.id(), others),"
                    + " where others is server.sockets().size() - 1.")
    static void welcome(RealtimeServer server, RealtimeSocket newcomer) {
        // TODO 1: send "welcome" to the newcomer alone, with its id and how many others are here (task 1)
        throw new UnsupportedOperationException("TODO 1: welcome the newcomer");
    }

    @Task(number = 2, title = "Everyone but the sender",
            hint = "from.broadcast() targets every socket except `from`; its emit(\"chat\", new Message(from.id(), text))"
                    + " returns how many sockets it reached: return that.")
    static int broadcast(RealtimeSocket from, String text) {
        // TODO 2: send the message to every socket except the sender; return how many got it (task 2)
        throw new UnsupportedOperationException("TODO 2: broadcast the message to everyone but the sender");
    }

    /** The text of a "chat" event, trimmed; an IllegalArgumentException says what is wrong with it. */
    static String textOf(List<Object> args) {
        if (args.isEmpty() || !(args.get(0) instanceof String raw) || raw.isBlank()) {
            throw new IllegalArgumentException("a chat message is one non-empty string, e.g. socket.emit('chat', 'hi')");
        }
        if (raw.strip().length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a message has at most " + MAX_LENGTH + " characters");
        }
        return raw.strip();
    }

    public static void main(String[] args) {
        ChatCrew.main(args);
    }
}
