package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.client.RealtimeClient;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RealtimeServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    @DisplayName("a client connects, gets an id distinct from nothing, and its event reaches the server handler")
    void connectAndEvent() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", socket -> {
            socket.emit("welcome", socket.id());
            socket.on("chat", args -> {
                seen.add(args.get(0));
                socket.emit("echo", args.get(0));
            });
        }))) {
            TestClient a = fx.client();
            assertThat(a.id()).as("the socket id the server gave the client").isNotBlank();
            assertThat(a.await("welcome", WAIT)).as("welcome carries the socket id").containsExactly(a.id());
            a.emit("chat", "hi");
            assertThat(a.await("echo", WAIT)).as("the echo of the chat message").containsExactly("hi");
            assertThat(seen).as("arguments the server handler saw").containsExactly("hi");
        }
    }

    @Test
    @DisplayName("ioThreads(1) runs every connection on one I/O thread; a count out of range is refused with the range")
    void ioThreads() {
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.ioThreads(1), server -> server.on("connection", socket ->
                socket.on("chat", args -> socket.broadcast().emit("chat", args.get(0)))))) {
            List<TestClient> clients = fx.clients(3);
            clients.get(0).emit("chat", "one thread");
            assertThat(clients.get(1).await("chat", WAIT)).as("broadcast through the single I/O thread").containsExactly("one thread");
            assertThat(clients.get(2).await("chat", WAIT)).as("broadcast through the single I/O thread").containsExactly("one thread");
        }
        assertThatThrownBy(() -> RealtimeServer.create(cfg -> cfg.ioThreads(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 (one per core) to 256");
    }

    @Test
    @DisplayName("emitWithAck in both directions completes with the other side's ack arguments")
    void acks() throws Exception {
        CompletableFuture<List<Object>> serverSide = new CompletableFuture<>();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", socket -> {
            socket.on("add", (args, ack) -> ack.send(((Number) args.get(0)).intValue() + ((Number) args.get(1)).intValue()));
            socket.on("ask-me", args -> socket.emitWithAck("question", WAIT, "what?").whenComplete((r, e) -> {
                if (e != null) {
                    serverSide.completeExceptionally(e);
                } else {
                    serverSide.complete(r);
                }
            }));
        }))) {
            TestClient a = fx.client();
            assertThat(a.ack("add", 2, 3)).as("ack of add(2, 3)").containsExactly(5);
            a.client().on("question", (args, ack) -> ack.send("answer to " + args.get(0)));
            a.emit("ask-me");
            assertThat(serverSide.get(5, TimeUnit.SECONDS)).as("the client's ack as seen by the server").containsExactly("answer to what?");
        }
    }

    @Test
    @DisplayName("a handler may block on emitWithAck(...).get() for the same client's answer")
    void blockingAckInHandler() {
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", socket ->
                socket.on("ask", (args, ack) -> ack.send(socket.emitWithAck("question", WAIT).get(5, TimeUnit.SECONDS).get(0)))))) {
            TestClient a = fx.client();
            a.client().on("question", (args, ack) -> ack.send("forty-two"));
            assertThat(a.ack("ask")).as("the answer the handler waited for").containsExactly("forty-two");
        }
    }

    @Test
    @DisplayName("emitWithAck fails with a TimeoutException when nobody acknowledges")
    void ackTimeout() {
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", socket -> socket.on("ignored", args -> { })))) {
            TestClient a = fx.client();
            CompletableFuture<List<Object>> f = a.emitWithAck("ignored", Duration.ofMillis(200));
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    @DisplayName("a server not started by RealtimeFixture has no sync hook: relaylab:sync is an ordinary event for its handlers")
    void noSyncHookInProduction() throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (RealtimeServer server = RealtimeServer.create().start(0)) {
            server.on("connection", socket -> socket.on(TestClient.SYNC_EVENT, (args, ack) -> {
                seen.add("handler");
                ack.send("from the handler");
            }));
            try (RealtimeClient client = RealtimeClient.connect(server.url())) {
                List<Object> reply = client.emitWithAck(TestClient.SYNC_EVENT, WAIT).get(10, TimeUnit.SECONDS);
                assertThat(reply).as("the ack, sent by the application's handler").containsExactly("from the handler");
                assertThat(seen).as("handlers that saw the event").containsExactly("handler");
            }
        }
    }

    @Test
    @DisplayName("broadcast reaches everyone but the sender; rooms, to(a).to(b) and except deliver each socket once")
    void broadcastAndRooms() {
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", socket -> {
            socket.on("join", args -> socket.join((String) args.get(0)));
            socket.on("shout", args -> socket.broadcast().emit("shout", args.get(0)));
        }))) {
            List<TestClient> c = fx.clients(4);
            c.get(0).ack(TestClient.SYNC_EVENT);
            c.get(0).emit("shout", "hello");
            for (int i = 1; i < 4; i++) {
                c.get(i).await("shout", WAIT);
            }
            c.get(0).emit("join", "red").emit("join", "blue");
            c.get(1).emit("join", "red");
            c.get(2).emit("join", "blue");
            fx.sync();
            int sent = fx.server().to("red").to("blue").except(c.get(2).id()).emit("news", 1);
            assertThat(sent).as("sockets in red or blue, minus client 3").isEqualTo(2);
            c.get(0).await("news", WAIT);
            c.get(1).await("news", WAIT);
            fx.server().to(c.get(3).id()).emit("private", "psst");
            c.get(3).await("private", WAIT);
            fx.sync();
            assertThat(c.get(0).received("news")).as("client 1 is in red and blue but gets the news once").hasSize(1);
            assertThat(c.get(0).received("shout")).as("the sender does not get its own broadcast").isEmpty();
            c.get(2).assertNotReceived("news");
            c.get(3).assertNotReceived("news");
            c.get(2).assertNotReceived("private");
        }
    }

    public static final class ChatHandlers {
        final List<String> log = new CopyOnWriteArrayList<>();

        public record Message(String from, String text) {
        }

        @OnConnect
        public void connected(RealtimeSocket socket) {
            log.add("connect");
            socket.join("lobby");
        }

        @OnEvent("say")
        public void say(RealtimeSocket socket, Message message, int times, Ack ack) {
            log.add(message.from() + ":" + message.text() + "x" + times);
            socket.to("lobby").emit("said", message);
            ack.send("ok");
        }

        @OnEvent("boom")
        public void boom() {
            throw new IllegalStateException("handler failure on purpose");
        }

        @OnDisconnect
        public void gone(String reason, RealtimeSocket socket) {
            log.add("disconnect:" + reason);
        }
    }

    @Test
    @DisplayName("annotated handlers get the socket, typed arguments and the ack; a throwing handler does not break the connection")
    void annotations() {
        ChatHandlers handlers = new ChatHandlers();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.register(handlers))) {
            TestClient a = fx.client();
            TestClient b = fx.client();
            a.emit("boom");
            assertThat(a.ack("say", Map.of("from", "ann", "text", "hi"), 2)).containsExactly("ok");
            List<Object> said = b.await("said", WAIT);
            assertThat(RealtimeJson.convert(said.get(0), ChatHandlers.Message.class)).isEqualTo(new ChatHandlers.Message("ann", "hi"));
            a.close();
            b.await("said", WAIT);
            Await.until("the @OnDisconnect method ran", () -> handlers.log.contains("disconnect:client namespace disconnect"),
                    () -> handlers.log.toString());
            assertThat(handlers.log).contains("connect", "ann:hix2", "disconnect:client namespace disconnect");
        }
    }

    @Test
    @DisplayName("onAny sees every event first; volatileEmit, socketsJoin and socketsLeave work on targets")
    void extras() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", socket -> {
            socket.onAny((event, args) -> seen.add(event));
            socket.on("a", args -> socket.volatileEmit("v", 1));
            socket.join("old");
        }))) {
            TestClient c = fx.client();
            c.emit("a").emit("unhandled");
            c.await("v", WAIT);
            fx.sync();
            assertThat(seen).containsExactly("a", "unhandled");
            fx.server().to("old").socketsJoin("new");
            fx.server().to("new").socketsLeave("old");
            assertThat(fx.server().of("/").rooms()).containsExactly("new");
            assertThat(fx.server().to("new").volatileEmit("v", 2)).isEqualTo(1);
            c.await("v", args -> args.get(0).equals(2), WAIT);
        }
    }

    static final class BadHandlers {
        @OnEvent("x")
        void x(RealtimeSocket socket, Runnable notData) {
        }
    }

    @Test
    @DisplayName("a handler signature that cannot be bound is rejected at registration, naming Class.method and the parameter")
    void badSignature() {
        RealtimeServer server = RealtimeServer.create();
        try {
            assertThatThrownBy(() -> server.register(new BadHandlers()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("BadHandlers.x")
                    .hasMessageContaining("notData");
        } finally {
            server.stop();
        }
    }

    @Test
    @DisplayName("a middleware refusal reaches the client as connect_error, and namespaces are separate")
    void middlewareAndNamespaces() {
        try (RealtimeFixture fx = RealtimeFixture.start(server -> {
            server.of("/admin").use((socket, next) -> {
                if ("secret".equals(socket.handshake().auth().get("token"))) {
                    next.ok();
                } else {
                    next.fail("not allowed");
                }
            }).on("connection", socket -> socket.emit("hello-admin"));
        })) {
            TestClient refused = fx.connecting(o -> o.namespace("/admin").auth(Map.of("token", "wrong")));
            assertThat(refused.awaitConnectError(WAIT)).isEqualTo("not allowed");
            assertThat(refused.client().active()).as("a refused client does not retry").isFalse();
            TestClient admin = fx.client(o -> o.namespace("/admin").auth(Map.of("token", "secret")));
            admin.await("hello-admin", WAIT);
            TestClient unknown = fx.connecting(o -> o.namespace("/nope"));
            assertThat(unknown.awaitConnectError(WAIT)).isEqualTo("Invalid namespace");
            List<Object> withData = new CopyOnWriteArrayList<>();
            fx.server().of("/data").use((socket, next) -> next.fail("banned", Map.of("until", 42)));
            RealtimeClient raw = RealtimeClient.connect(fx.url(), o -> o.namespace("/data"));
            try {
                raw.on("connect_error", args -> withData.addAll(args));
                Await.until("connect_error with data", () -> withData.size() == 2);
                assertThat(withData).as("message and data of the refusal").containsExactly("banned", Map.of("until", 42));
            } finally {
                raw.disconnect();
            }
        }
    }
}
