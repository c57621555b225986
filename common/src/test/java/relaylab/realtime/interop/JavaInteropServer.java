package relaylab.realtime.interop;

import java.time.Duration;
import java.util.Map;
import relaylab.realtime.Namespace;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;

/**
 * The Java twin of src/test/node/server.js: the same events, acknowledgements, rooms, namespaces and
 * refusals on relaylab's RealtimeServer, so the same client scenarios run against both. It serves the
 * interop page at / (from the test classpath). What it observed is kept as lines like
 * "connection / token=ok" that tests await.
 */
final class JavaInteropServer implements AutoCloseable {

    private final Observed seen = new Observed("the Java server");
    private volatile RealtimeServer server;
    private int port;

    /** Starts on a free port of 127.0.0.1. */
    JavaInteropServer start() {
        server = build().start(0);
        port = server.port();
        return this;
    }

    /** Stops the server (the port is free when this returns). */
    void stop() {
        RealtimeServer s = server;
        if (s != null) {
            s.stop();
        }
    }

    /** Starts a fresh server on the same port as before. */
    void startAgain() {
        server = build().start(port);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    RealtimeServer server() {
        return server;
    }

    @Override
    public void close() {
        stop();
    }

    private RealtimeServer build() {
        RealtimeServer s = RealtimeServer.create(cfg -> cfg.staticFiles("/relaylab/realtime/interop/page"));
        s.use((socket, next) -> {
            if ("bad".equals(socket.handshake().auth().get("token"))) {
                next.fail("not authorized", Map.of("reason", "bad token"));
            } else {
                next.ok();
            }
        });
        s.on("connection", this::behave);
        Namespace admin = s.of("/admin");
        admin.use((socket, next) -> {
            if ("admin".equals(socket.handshake().auth().get("role"))) {
                next.ok();
            } else {
                next.fail("admins only");
            }
        });
        admin.on("connection", this::behave);
        return s;
    }

    private void behave(RealtimeSocket socket) {
        String nsp = socket.namespace().name();
        record("connection " + nsp + " " + socket.handshake().auth());
        socket.onDisconnect(reason -> record("disconnect " + nsp + " " + reason));
        socket.emit("welcome", Map.of("id", socket.id(), "nsp", nsp));
        socket.on("echo", (args, ack) -> {
            record("event " + nsp + " echo " + args);
            if (ack.requested()) {
                ack.send(args.toArray());
            } else {
                socket.emit("echo", args.toArray());
            }
        });
        socket.on("ask-client", (args, ack) -> {
            record("event " + nsp + " ask-client " + args);
            socket.emitWithAck("question", Duration.ofSeconds(5), args.toArray()).whenComplete((answer, error) -> {
                if (error != null) {
                    record("client-ack-failed " + nsp + " " + error.getMessage());
                } else {
                    record("client-ack " + nsp + " " + answer);
                    socket.emit("answer-received", answer.toArray());
                }
            });
        });
        socket.on("join", (args, ack) -> {
            String room = String.valueOf(args.get(0));
            socket.join(room);
            record("join " + nsp + " " + room);
            ack.send("joined " + room);
        });
        socket.on("to-room", (args, ack) -> {
            socket.to(String.valueOf(args.get(0))).emit("room-message", args.get(1));
        });
    }

    private void record(String line) {
        seen.record(line);
    }

    /** Waits until the server observed a line starting with {@code prefix}; fails with everything it saw. */
    String await(String prefix, Duration timeout) {
        return seen.await(prefix, timeout);
    }
}
