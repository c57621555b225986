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
//SOURCES BareChat.java
//SOURCES TwoChats.java
//FILES index.html
//FILES bare.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js

import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;
import relaylab.realtime.Handshake;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.TodoRecorder;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 05, part two: the same chat on Socket.IO (part one, on a bare WebSocket, is BareChat.java and bare.html).
 * One server serves the pages and keeps a connection open to every browser that loads index.html; a message
 * from any of them goes to all of them, the sender included. The command line is in TwoChats.java.
 */
@Lesson(number = 5, title = "First chat, twice",
        summary = "A chat on a bare WebSocket (Java-WebSocket's server, the browser's own WebSocket, \"You\" and \"User N\"),"
                + " then the same chat on Socket.IO, and what Socket.IO adds.")
public class FirstChat {
    /** What every browser receives for each message: who sent it (a socket id) and the text. */
    record Message(String from, String text) {
    }

    @Task(number = 4, title = "Open the WebSocket and send JSON",
            hint = "In bare.html (part one), connect(): socket = new WebSocket(url); socket.onopen sets #status to 'connected',"
                    + " socket.onclose to 'disconnected (' + event.code + ')'. send(text): socket.send(JSON.stringify({ text: text })).")
    static final String BARE_PAGE_CONNECTS = "bare.html: connect() and send(text)";

    @Task(number = 5, title = "Show \"You\" or \"User N\", as text",
            hint = "In bare.html (part one), listen(): socket.onmessage = (event) => { const frame = JSON.parse(event.data); ... }."
                    + " A welcome: me = frame.you. A chat: an <li> whose textContent (never innerHTML) is (frame.from === me ? 'You'"
                    + " : 'User ' + frame.from) + ': ' + frame.text, appended to #messages.")
    static final String BARE_PAGE_SHOWS = "bare.html: listen()";

    @Task(number = 8, title = "Send what the user typed",
            hint = "In index.html, send(text) is called when the form is submitted: socket.emit('chat', text)"
                    + " hands the text to the server as a \"chat\" event.")
    static final String PAGE_SENDS = "index.html: send(text)";

    @Task(number = 9, title = "Show each message as text",
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
                    String text = TwoChats.checked(!args.isEmpty() && args.get(0) instanceof String raw ? raw : null);
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

    @Task(number = 6, title = "Log each connection's upgrade",
            hint = "transport = handshake.query().get(\"transport\"); the upgrade header is"
                    + " handshake.headers().get(\"upgrade\") (a list, or null). With transport \"websocket\" and that"
                    + " header: id + \" connected from \" + address + \": HTTP GET upgraded to WebSocket (EIO=\" + eio"
                    + " + \")\". Otherwise: id + \" connected from \" + address + \": HTTP long-polling (EIO=\" + eio"
                    + " + \"), not upgraded\".")
    static String upgradeLine(String id, Handshake handshake) {
        String eio = handshake.query().get("EIO");
        List<String> upgrade = handshake.headers().get("upgrade");
        String start = id + " connected from " + handshake.address() + ": ";
        if ("websocket".equals(handshake.query().get("transport")) && upgrade != null) {
            return start + "HTTP GET upgraded to WebSocket (EIO=" + eio + ")";
        }
        return start + "HTTP long-polling (EIO=" + eio + "), not upgraded";
    }

    @Task(number = 7, title = "Relay to everyone with one emit",
            hint = "server.emit(\"chat\", new Message(from.id(), text)) reaches every connected socket, the sender"
                    + " too; from.emit(...) would reach only the sender.")
    static void relay(RealtimeServer server, RealtimeSocket from, String text) {
        server.emit("chat", new Message(from.id(), text));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TwoChats.Main()).execute(args));
    }
}
