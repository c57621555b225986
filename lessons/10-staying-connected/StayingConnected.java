///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES Heartbeat.java Backoff.java Screen.java ChatTab.java ChatEvents.java FlakyProxy.java FlakyChat.java
//FILES index.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.TodoRecorder;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 10: a chat that survives a bad network. Every message gets the next offset; a tab that comes back
 * sends the last offset it saw and gets what it missed (the tabs: ChatTab.java and index.html). Given beside it:
 * ChatEvents.java (what travels: Message, Catchup; the check of a say), FlakyChat.java (the demo).
 */
@Lesson(number = 10, title = "Staying connected",
        summary = "Heartbeats that notice a dead peer, reconnection with backoff and jitter, resuming from the last"
                + " offset after a drop, every message exactly once on screen, behind a flaky-network proxy.")
public class StayingConnected {
    static final Duration PING_INTERVAL = Duration.ofSeconds(4);   // socket.io: 25 s; short here so you see it
    static final Duration PING_TIMEOUT = Duration.ofSeconds(4);    // socket.io: 20 s
    static final int KEEP = 1000;                                  // messages kept for clients that come back
    static final Duration KEEP_FOR = Duration.ofMinutes(2);
    static final String LIVE = "live";                             // the room of sockets that are caught up

    @Task(number = 5, title = "Show the connection state",
            hint = "In index.html, describe(s) turns a state into the status line: 'reconnecting in ' + s.seconds.toFixed(1)"
                    + " + ' s (attempt ' + s.attempt + ')'; 'back, ' + s.recovered + ' missed messages recovered' (1 message,"
                    + " and ' (from the recent history)' when !s.resumed); otherwise s.state itself, e.g. 'connected'.")
    static final String PAGE = "index.html";

    final Deque<Message> recent = new ArrayDeque<>();   // oldest first; guarded by this
    final Map<String, Message> byId = new HashMap<>();   // the same messages by id; guarded by this
    long lastOffset;                                     // the newest message's offset, 0 before any; guarded by this
    LongSupplier clock = System::currentTimeMillis;      // tests move time forward
    final RealtimeServer server;
    final TodoRecorder unfinished = new TodoRecorder(ChatEvents::refused);

    /** Serves the page and sets the heartbeat; main and the tests both use it. */
    static void configure(RealtimeConfig config) {
        config.staticFiles(StayingConnected.class, "/").pingInterval(PING_INTERVAL).pingTimeout(PING_TIMEOUT);
    }

    StayingConnected(RealtimeServer server) {
        this.server = server;
        server.onHandlerError(unfinished);
        server.on("connection", socket -> {
            String name = socket.handshake().auth().get("name") instanceof String s && !s.isBlank() ? s : "guest";
            socket.on("say", (args, ack) -> ack.send(ChatEvents.say(args, (id, text) -> post(id, name, text))));
            synchronized (this) {   // post waits meanwhile: nothing slips between the catch-up and the live room
                Object offset = socket.handshake().auth().get("offset");
                socket.emit("catchup", catchUp(offset instanceof Number n ? n.longValue() : null));
                socket.join(LIVE);
            }
        });
    }

    @Task(number = 3, title = "Resume without loss",
            hint = "post: forgetOld(), give the message offset ++lastOffset, keep it in recent and byId, send it to the LIVE"
                    + " room (server.to(LIVE).emit(\"message\", m)). catchUp: forgetOld(); when offset is null, from the future"
                    + " (> lastOffset) or older than what is kept (< first kept offset - 1), answer new Catchup(false, all"
                    + " kept); else new Catchup(true, the kept messages with a greater offset).")
    synchronized Message post(String id, String from, String text) {
        // TODO 4: a tab that resends after a drop uses the same id: return the kept message instead of a second one (task 4)
        // TODO 3: forgetOld(), give the message the next offset, keep it (recent, byId), send it to the LIVE room (task 3)
        throw new UnsupportedOperationException("TODO 3: post the message with the next offset");
    }

    synchronized Catchup catchUp(Long offset) {
        // TODO 3: what came after offset (resumed), or everything kept when offset is null, from the future or too old (task 3)
        throw new UnsupportedOperationException("TODO 3: catch the socket up from its offset");
    }

    // ------------------------------------------------------------------ given: helpers (the demo: FlakyChat.java)

    /** Drops the oldest messages while more than KEEP are kept or they are older than KEEP_FOR. */
    synchronized void forgetOld() {
        long tooOld = clock.getAsLong() - KEEP_FOR.toMillis();
        while (!recent.isEmpty() && (recent.size() > KEEP || recent.peekFirst().at() < tooOld)) {
            byId.remove(recent.removeFirst().id());
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FlakyChat.Main()).execute(args));
    }
}
