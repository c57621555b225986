///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES Packets.java Packet.java PendingAcks.java WireClient.java FrameSocket.java EventsProtocolDemo.java
//FILES index.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js

import java.util.Map;
import picocli.CommandLine;
import relaylab.realtime.RealtimeServer;
import relaylab.workbook.Lesson;

/**
 * Lesson 07: the Socket.IO wire format. Your codec (Packets), your ack table (PendingAcks) and your
 * frame handler (WireClient) talk to this server over a bare WebSocket, while a browser page lets you
 * watch the same frames in DevTools. The demo and command line: EventsProtocolDemo.java.
 */
@Lesson(number = 7, title = "Events protocol",
        summary = "Encode and decode Socket.IO packets, match acks with a timeout, reject bad frames, and talk to a real server.")
public class EventsProtocol {
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

    public static void main(String[] args) {
        System.exit(new CommandLine(new EventsProtocolDemo()).execute(args));
    }
}
