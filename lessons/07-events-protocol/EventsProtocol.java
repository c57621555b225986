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
//SOURCES Packets.java Packet.java PendingAcks.java WireClient.java FrameSocket.java
//FILES index.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeServer;
import relaylab.workbook.Exercise;
import relaylab.workbook.Lesson;

/**
 * Lesson 07: the Socket.IO wire format. Your codec (Packets), your ack table (PendingAcks) and your
 * frame handler (WireClient) talk to the workbook's server over a bare WebSocket, while a browser page
 * lets you watch the same frames in DevTools.
 */
@Lesson(number = 7, title = "Events protocol",
        summary = "Encode and decode Socket.IO packets, match acks with a timeout, reject bad frames, and talk to a real server.")
@Command(name = "lesson07", mixinStandardHelpOptions = true, version = "Relay Lab lesson 07",
        description = "Runs the lesson 07 server with its page, and your codec's client against it.")
public class EventsProtocol implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "3000", description = "The port to serve on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    /** The lesson's server: "chat" goes to everyone and its ack shows what your encoder makes of it. */
    static RealtimeServer createServer() {
        RealtimeServer server = RealtimeServer.create(cfg -> cfg.staticFiles("/"));
        server.on("connection", socket -> {
            socket.on("chat", (args, ack) -> {
                String text = args.isEmpty() ? "" : String.valueOf(args.get(0));
                server.emit("chat", text);
                ack.send(yourEncoding(text));
            });
            socket.on("add", (args, ack) -> ack.send(((Number) args.get(0)).intValue() + ((Number) args.get(1)).intValue()));
            socket.on("ignore", args -> { });
        });
        server.of("/admin").on("connection", socket ->
                socket.on("stats", (args, ack) -> ack.send(Map.of("connections", server.connectionCount()))));
        return server;
    }

    /** What Packets.encode writes for a chat EVENT, or why it cannot yet. */
    static String yourEncoding(String text) {
        try {
            return Packets.encode(Packet.event("/", Packets.NO_ACK, "chat", text));
        } catch (UnsupportedOperationException e) {
            return "(not finished: " + e.getMessage() + ")";
        }
    }

    @Override
    public Integer call() {
        Exercise.run(EventsProtocol.class, this::demo);
        return 0;
    }

    private void demo() throws Exception {
        System.out.println("Your encoder (task 1) writes:");
        for (Packet packet : List.of(Packet.event("/", Packets.NO_ACK, "chat", "hi"),
                Packet.event("/admin", 12, "kick", Map.of("user", "bob")), Packet.ack("/", 12, "done"))) {
            System.out.printf("  %-60s → %s%n", packet, Packets.encode(packet));
        }
        System.out.println("Your decoder (tasks 2 and 3) reads and refuses:");
        for (String frame : List.of("4212[\"ping\",1]", "40/admin,{\"token\":\"abc\"}", "42{\"text\":\"hi\"}", "43[\"ok\"]", "2")) {
            try {
                System.out.printf("  %-30s → %s%n", frame, Packets.decode(frame));
            } catch (ProtocolException e) {
                System.out.println("  " + e.getMessage());
            }
        }
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        PendingAcks table = new PendingAcks(timers);
        PendingAcks.Call answered = table.expect("add", Duration.ofSeconds(1));
        PendingAcks.Call forgotten = table.expect("slow", Duration.ofMillis(200));
        table.resolve(Packet.ack("/", answered.id(), 5));
        System.out.println("Your ack table (task 4): call " + answered.id() + " got " + answered.reply().get());
        forgotten.reply().exceptionally(e -> null).join();
        System.out.println("  call " + forgotten.id() + " gave up: " + forgotten.reply().handle((v, e) -> e.getMessage()).join());
        timers.shutdown();

        RealtimeServer server = createServer().start(port);
        String url = "http://localhost:" + server.port();
        System.out.println();
        System.out.println("The page is at " + url);
        System.out.println("  Open it, then DevTools (F12) → Network → WS → the socket.io row → Messages.");
        System.out.println("Your client (task 5) talks to the same server over a plain WebSocket:");
        WireClient client = WireClient.connect(url,
                (event, args) -> System.out.println("      = EVENT \"" + event + "\" with " + args),
                line -> System.out.println("  " + line));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.close();
            server.stop();
            System.out.println("Server stopped.");
        }));
        System.out.println("  joined \"/\" as " + client.awaitConnected(Duration.ofSeconds(5)));
        System.out.println("  ack → " + client.emitWithAck("add", Duration.ofSeconds(5), 2, 3).get());
        System.out.println();
        System.out.println("Still connected: chat from the page shows up here, frame by frame. Ctrl-C stops.");
        new CountDownLatch(1).await();
    }

    public static void main(String[] args) {
        Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; the lesson prints its own lines
        System.exit(new CommandLine(new EventsProtocol()).execute(args));
    }
}
