///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES UserRegistry.java ChatHistory.java ChatEvents.java ChatBots.java
//FILES index.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js

import java.time.Instant;
import java.util.UUID;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.TodoRecorder;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 09: the whole chat. A user registers a name, gets the history, sends messages that everyone
 * receives with an id, the sender's name and the time, sees who is typing and who is online. Given beside it:
 * ChatEvents.java (what travels: ChatMessage, Typing, Reply), ChatBots.java (the demo).
 */
@Lesson(number = 9, title = "Chat app",
        summary = "The full chat: register a username, history for newcomers, messages with id/user/text/time,"
                + " a typing indicator and the list of who is online.")
public class ChatApp {
    static final int HISTORY_SIZE = 100;
    static final int MAX_TEXT = 500;

    @Task(number = 6, title = "Show each message safely: \"You\" or the name",
            hint = "In index.html, renderMessage(msg) builds the <li class=\"message\"> with document.createElement and"
                    + " sets every part with textContent: innerHTML would run a <script> or <img onerror> someone typed."
                    + " Write \"You\" when msg.user === me, otherwise msg.user.")
    static final String PAGE = "index.html";

    final RealtimeServer server;
    final UserRegistry users = new UserRegistry();
    final ChatHistory history = new ChatHistory(HISTORY_SIZE);
    /** The first unfinished TODO a handler ran into, for main to report; its message also answers the sender's ack. */
    final TodoRecorder unfinished = new TodoRecorder(Reply::refused);

    /** Serves the page (index.html) from the classpath root next to this class; tests pass this to the fixture too. */
    static void configure(RealtimeConfig config) {
        config.staticFiles(ChatApp.class, "/");
    }

    /** Installs the chat's handlers on a server; main and the tests both use it. */
    ChatApp(RealtimeServer server) {
        this.server = server;
        server.onHandlerError(unfinished);
        server.on("connection", socket -> {
            socket.on("register", (args, ack) -> {
                UserRegistry.Registration registration = users.register(socket.id(), ChatEvents.text(args));
                ack.send(registration);
                if (registration.ok()) {
                    welcome(socket);
                    sendOnlineUsers();
                }
            });
            socket.on("sendMessage", (args, ack) -> ack.send(sendMessage(socket, ChatEvents.text(args))));
            socket.on("typing", args -> typing(socket, args.size() > 0 && Boolean.TRUE.equals(args.get(0))));
            socket.onDisconnect(reason -> leave(socket));
        });
    }

    @Task(number = 2, title = "Send the history to a newcomer",
            hint = "In ChatHistory.add, addLast the message and removeFirst while there are more than capacity."
                    + " Here, emit \"chatHistory\" with history.messages() to this socket only: socket.emit(...).")
    void welcome(RealtimeSocket socket) {
        socket.emit("chatHistory", history.messages());
    }

    @Task(number = 3, title = "Send every message to everyone with id, user, text and time",
            hint = "Trim the text first (strip(); null counts as empty). Refuse (Reply.refused) when the socket has no"
                    + " name (users.nameOf; ask them to register), when the trimmed text is empty, or longer than MAX_TEXT"
                    + " (name the limit). Otherwise build a ChatMessage(UUID.randomUUID().toString(), user, trimmed,"
                    + " Instant.now().toString()), add it to the history and server.emit \"receiveMessage\" with it to"
                    + " everyone, the sender included. Return Reply.OK.")
    Reply sendMessage(RealtimeSocket socket, String text) {
        String user = users.nameOf(socket.id());
        if (user == null) {
            return Reply.refused("Register a username before sending messages.");
        }
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            return Reply.refused("A message needs some text.");
        }
        if (trimmed.length() > MAX_TEXT) {
            return Reply.refused("A message has at most " + MAX_TEXT + " characters; yours has " + trimmed.length() + ".");
        }
        ChatMessage message = new ChatMessage(UUID.randomUUID().toString(), user, trimmed, Instant.now().toString());
        history.add(message);
        server.emit("receiveMessage", message);
        return Reply.OK;
    }

    @Task(number = 4, title = "Tell the others who is typing",
            hint = "Only a registered socket can type. Send new Typing(user, typing) to everyone but the typist:"
                    + " socket.broadcast().emit(\"typing\", ...). The typist does not need to hear about itself.")
    void typing(RealtimeSocket socket, boolean typing) {
        String user = users.nameOf(socket.id());
        if (user != null) {
            socket.broadcast().emit("typing", new Typing(user, typing));
        }
    }

    @Task(number = 5, title = "Keep the list of who is online",
            hint = "sendOnlineUsers: server.emit(\"onlineUsers\", users.online()) to everyone. leave (a socket"
                    + " disconnected): users.unregister(socket.id()); when it had a name, send the new list.")
    void sendOnlineUsers() {
        server.emit("onlineUsers", users.online());
    }

    void leave(RealtimeSocket socket) {
        if (users.unregister(socket.id()) != null) {
            sendOnlineUsers();
        }
    }

    public static void main(String[] args) {
        ChatBots.main(args);
    }
}
