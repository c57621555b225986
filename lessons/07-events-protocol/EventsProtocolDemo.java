// The library sources this lesson compiles with (JBang reads //SOURCES of a file named by //SOURCES too):
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/client/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/internal/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/protocol/*.java

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeServer;
import relaylab.workbook.Exercise;

/**
 * What {@code ./jbang lesson07} runs (EventsProtocol.main starts it): your encoder, decoder and ack table on a few
 * packets, then the lesson's server with its page, and your WireClient talking to it. Nothing to write here; an
 * unfinished TODO the demo runs into is thrown, so that it is named.
 */
@Command(name = "lesson07", mixinStandardHelpOptions = true, version = "Relay Lab lesson 07",
        description = "Runs the lesson 07 server with its page, and your codec's client against it.")
final class EventsProtocolDemo implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "3000", description = "The port to serve on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Override
    public Integer call() {
        Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; the lesson prints its own lines
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

        RealtimeServer server = EventsProtocol.createServer().start(port);
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
}
