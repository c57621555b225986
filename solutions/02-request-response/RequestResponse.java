///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/httpchat/*.java
//SOURCES Board.java
//SOURCES RequestResponseDemo.java

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import picocli.CommandLine;
import relaylab.httpchat.ChatClient;
import relaylab.httpchat.ChatMessage;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 02: a chat over plain HTTP. The server can only answer; to hear news, a client must ask,
 * either again and again (short polling) or once and be held until there is news (long polling).
 * The store the server keeps is in Board.java (tasks 1, 3, 4); the two ways to read it are here
 * (tasks 2, 5). The demo (two users chatting, what it cost) is in RequestResponseDemo.java.
 */
@Lesson(number = 2, title = "Request-response",
        summary = "An HTTP chat on Undertow, read by short polling and by long polling, with what each costs.")
public class RequestResponse {

    @Task(number = 2, title = "Poll every interval",
            hint = "Keep the highest id you have seen (start at 0). Each turn: client.fetch(last), give each message"
                    + " to inbox, raise last to its id, then Thread.sleep(interval.toMillis()). Stop when keepGoing"
                    + " returns false.")
    static void shortPoll(ChatClient client, Duration interval, Consumer<ChatMessage> inbox, BooleanSupplier keepGoing)
            throws IOException, InterruptedException {
        long last = 0;
        while (keepGoing.getAsBoolean()) {
            for (ChatMessage message : client.fetch(last)) {
                inbox.accept(message);
                last = Math.max(last, message.id());
            }
            Thread.sleep(interval.toMillis());
        }
    }

    @Task(number = 5, title = "Ask again at once (long polling)",
            hint = "The same loop as shortPoll, but call client.fetch(last, wait) and never sleep: the server does"
                    + " the waiting, and an empty answer only means the wait ran out, so ask again right away.")
    static void longPoll(ChatClient client, Duration wait, Consumer<ChatMessage> inbox, BooleanSupplier keepGoing)
            throws IOException, InterruptedException {
        long last = 0;
        while (keepGoing.getAsBoolean()) {
            for (ChatMessage message : client.fetch(last, wait)) {
                inbox.accept(message);
                last = Math.max(last, message.id());
            }
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RequestResponseDemo.Options()).execute(args));
    }
}
