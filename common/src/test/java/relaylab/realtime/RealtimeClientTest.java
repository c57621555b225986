package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.client.ClientOptions;
import relaylab.realtime.client.RealtimeClient;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class RealtimeClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static void dropAllConnections(RealtimeServer server) {
        for (EngineSession c : server.connections()) {
            c.close("transport close");
        }
    }

    @Test
    @DisplayName("after the connection drops the client reconnects with a new id; emits made meanwhile are sent, volatile ones dropped")
    void reconnectsAndBuffers() {
        List<Object> got = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", socket -> {
            socket.on("buffered", args -> got.add("buffered"));
            socket.on("volatile", args -> got.add("volatile"));
        }))) {
            TestClient c = fx.client(o -> o.reconnectionDelay(Duration.ofMillis(300)).randomizationFactor(0));
            String firstId = c.id();
            c.client().onDisconnect(reason -> {
                // runs while disconnected, long before the 300 ms reconnection delay is over
                c.client().emit("buffered");
                c.client().volatileEmit("volatile");
            });
            dropAllConnections(fx.server());
            assertThat(c.awaitDisconnected(WAIT)).as("reason seen by the client").isEqualTo("transport close");
            assertThat(c.client().active()).as("still trying to reconnect").isTrue();
            c.awaitConnects(2, WAIT);
            assertThat(c.id()).as("a new connection gets a new socket id").isNotEqualTo(firstId);
            fx.sync();
            assertThat(got).as("events received by the server after the reconnection").containsExactly("buffered");
        }
    }

    @Test
    @DisplayName("a deliberate client disconnect never reconnects; the server sees client namespace disconnect")
    void noReconnectAfterClientDisconnect() {
        List<String> reasons = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", s -> s.onDisconnect(reasons::add)))) {
            TestClient c = fx.client();
            c.close();
            assertThat(c.awaitDisconnected(WAIT)).isEqualTo("io client disconnect");
            assertThat(c.client().active()).as("a client that disconnected on purpose stops for good").isFalse();
            Await.until("server reason", () -> !reasons.isEmpty());
            assertThat(reasons).containsExactly("client namespace disconnect");
            Await.until("server cleaned up", () -> fx.server().connectionCount() == 0 && fx.server().timerCount() == 0);
        }
    }

    @Test
    @DisplayName("a server-side socket.disconnect() gives io server disconnect and the client does not reconnect")
    void noReconnectAfterServerDisconnect() {
        List<String> reasons = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", s -> {
            s.join("room");
            s.onDisconnect(reasons::add);
            s.on("kick-me", args -> s.disconnect());
        }))) {
            TestClient c = fx.client();
            assertThat(fx.server().of("/").rooms()).containsExactly("room");
            c.emit("kick-me");
            assertThat(c.awaitDisconnected(WAIT)).isEqualTo("io server disconnect");
            assertThat(c.client().active()).isFalse();
            Await.until("server reason", () -> !reasons.isEmpty());
            assertThat(reasons).containsExactly("server namespace disconnect");
            assertThat(fx.server().of("/").rooms()).as("rooms are left on disconnect").isEmpty();
            Await.until("server cleaned up", () -> fx.server().connectionCount() == 0 && fx.server().timerCount() == 0);
        }
    }

    @Test
    @DisplayName("when no server listens the client reports connect_error and keeps trying until disconnect()")
    void connectErrorWhenServerDown() {
        int port;
        try (RealtimeServer server = RealtimeServer.create().start(0)) {
            port = server.port();
        }
        List<String> errors = new CopyOnWriteArrayList<>();
        RealtimeClient client = RealtimeClient.connect("http://127.0.0.1:" + port, o -> o.reconnectionDelay(Duration.ofMillis(20))
                .reconnectionDelayMax(Duration.ofMillis(40)));
        try {
            client.onConnectError(errors::add);
            Await.until("two connect errors", () -> errors.size() >= 2, () -> errors.toString());
            assertThat(client.active()).as("it keeps trying").isTrue();
            assertThat(client.connected()).isFalse();
        } finally {
            client.disconnect();
        }
        assertThat(client.active()).isFalse();
    }

    @Test
    @DisplayName("awaitConnected returns at once with the reason when a middleware refuses, long before its timeout")
    void awaitConnectedEndsOnRefusal() throws Exception {
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.use((socket, next) -> next.fail("no entry today")))) {
            RealtimeClient client = RealtimeClient.connect(fx.url());
            java.util.concurrent.CompletableFuture<Throwable> thrown = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    client.awaitConnected(Duration.ofHours(1));
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            try {
                // the refusal must end the one-hour wait; 30 s only bounds the test when it does not
                Throwable e = thrown.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(e).as("awaitConnected after a refusal").isInstanceOf(IllegalStateException.class);
                assertThat(e.getMessage()).as("the message names the refusal and its reason")
                        .contains("refused").contains("no entry today").doesNotContain("within");
                assertThat(client.active()).as("a refused client does not retry").isFalse();
            } finally {
                client.disconnect();
            }
        }
    }

    @Test
    @DisplayName("a server that stops pinging is detected: the client disconnects with ping timeout and reconnects")
    void clientDetectsSilentServer() {
        java.util.concurrent.atomic.AtomicInteger sessions = new java.util.concurrent.atomic.AtomicInteger();
        io.undertow.Undertow fake = io.undertow.Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(io.undertow.Handlers.websocket((exchange, channel) -> {
                    io.undertow.websockets.core.WebSockets.sendText("0{\"sid\":\"fake\",\"upgrades\":[],\"pingInterval\":50,"
                            + "\"pingTimeout\":50,\"maxPayload\":1000}", channel, null);
                    channel.getReceiveSetter().set(new io.undertow.websockets.core.AbstractReceiveListener() {
                        @Override
                        protected void onFullTextMessage(io.undertow.websockets.core.WebSocketChannel ch,
                                                         io.undertow.websockets.core.BufferedTextMessage message) {
                            if (message.getData().equals("40")) {
                                io.undertow.websockets.core.WebSockets.sendText("40{\"sid\":\"s" + sessions.incrementAndGet() + "\"}", ch, null);
                            }
                        }
                    });
                    channel.resumeReceives();
                })).build();
        fake.start();
        int port = ((java.net.InetSocketAddress) fake.getListenerInfo().get(0).getAddress()).getPort();
        List<String> reasons = new CopyOnWriteArrayList<>();
        RealtimeClient client = RealtimeClient.connect("http://127.0.0.1:" + port, o -> o.reconnectionDelay(Duration.ofMillis(10))
                .randomizationFactor(0));
        try {
            client.onDisconnect(reasons::add);
            Await.until("a ping timeout and a new session", () -> reasons.contains("ping timeout") && sessions.get() >= 2,
                    () -> "reasons " + reasons + ", sessions " + sessions);
            assertThat(client.active()).isTrue();
        } finally {
            client.disconnect();
            fake.stop();
        }
    }

    @Test
    @DisplayName("the Java client answers the server's pings, so a quiet connection stays open")
    void answersPings() {
        // pongs come at once; the 2 s pingTimeout only keeps a loaded machine's pauses from closing the session
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.pingInterval(Duration.ofMillis(50)).pingTimeout(Duration.ofSeconds(2)),
                server -> { })) {
            TestClient c = fx.client();
            String id = c.id();
            EngineSession connection = fx.server().connections().iterator().next();
            Await.until("five pongs", () -> connection.pongs() >= 5, () -> "pongs: " + connection.pongs());
            assertThat(c.connected()).isTrue();
            assertThat(c.id()).isEqualTo(id);
            assertThat(c.disconnectReasons()).isEmpty();
        }
    }

    @Test
    @DisplayName("onPing sees the heartbeats; a client told not to answer them is dropped with ping timeout")
    void pingsAndFrozenClient() {
        List<String> reasons = new CopyOnWriteArrayList<>();
        // the server drops the frozen client pingTimeout (400 ms) after a ping; the client's own watchdog would give up
        // pingInterval + pingTimeout after it: pingInterval (600 ms) is the margin, and 400 ms leaves the answering
        // client time to pong on a loaded machine
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.pingInterval(Duration.ofMillis(600)).pingTimeout(Duration.ofMillis(400)),
                server -> server.on("connection", s -> s.onDisconnect(reasons::add)))) {
            TestClient alive = fx.client();
            java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
            alive.client().onPing(pings::incrementAndGet);
            TestClient frozen = fx.client(o -> o.answerPings(false).reconnection(false));
            assertThat(frozen.awaitDisconnected(WAIT)).as("the frozen client's view").isEqualTo("transport close");
            Await.until("server reason", () -> reasons.contains("ping timeout"), () -> reasons.toString());
            Await.until("three pings seen", () -> pings.get() >= 3);
            assertThat(alive.connected()).as("the client that answers stays connected").isTrue();
        }
    }

    @Test
    @DisplayName("a client reconnects to a new server started on the same port after a restart")
    void reconnectsAfterServerRestart() {
        RealtimeServer first = RealtimeServer.create().start(0);
        int port = first.port();
        RealtimeClient client = RealtimeClient.connect(first.url(), o -> o.reconnectionDelay(Duration.ofMillis(50))
                .reconnectionDelayMax(Duration.ofMillis(200)));
        RealtimeServer second = null;
        try {
            client.awaitConnected(WAIT);
            List<String> reasons = new CopyOnWriteArrayList<>();
            client.onDisconnect(reasons::add);
            first.stop();
            Await.until("disconnected", () -> !reasons.isEmpty());
            assertThat(reasons).containsExactly("transport close");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> first.start(port)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("create a new one");
            second = RealtimeServer.create().start(port);
            List<String> hello = new CopyOnWriteArrayList<>();
            second.on("connection", s -> hello.add(s.id()));
            client.awaitConnected(WAIT);
            Await.until("the new server saw the client", () -> hello.size() == 1);
        } finally {
            client.disconnect();
            if (second != null) {
                second.stop();
            }
        }
    }

    @Test
    @DisplayName("a handler may stop the server: stop() returns at once and the shutdown completes just after")
    void stopFromHandler() {
        RealtimeServer server = RealtimeServer.create().start(0);
        List<Long> stopMillis = new CopyOnWriteArrayList<>();
        server.on("connection", s -> s.on("shutdown", args -> {
            long start = System.nanoTime();
            server.stop();
            stopMillis.add((System.nanoTime() - start) / 1_000_000);
        }));
        RealtimeClient client = RealtimeClient.connect(server.url(), o -> o.reconnection(false)).awaitConnected(WAIT);
        try {
            List<String> reasons = new CopyOnWriteArrayList<>();
            client.onDisconnect(reasons::add);
            client.emit("shutdown");
            Await.until("the handler's stop() returned", () -> stopMillis.size() == 1);
            Await.until("the client was disconnected", () -> !reasons.isEmpty());
            Await.until("the server cleaned up", () -> server.connectionCount() == 0 && server.timerCount() == 0);
            assertThat(stopMillis.get(0)).as("ms the handler spent in stop()").isLessThan(1000);
        } finally {
            client.disconnect();
            server.stop();
        }
    }

    @Test
    @DisplayName("stopping the server disconnects sockets with server shutting down and frees the port")
    void stopFreesEverything() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        RealtimeServer server = RealtimeServer.create().start(0);
        server.on("connection", s -> s.onDisconnect(reasons::add));
        RealtimeClient client = RealtimeClient.connect(server.url(), o -> o.reconnection(false)).awaitConnected(WAIT);
        int port = server.port();
        server.stop();
        Await.until("disconnect reason", () -> !reasons.isEmpty());
        assertThat(reasons).containsExactly("server shutting down");
        assertThat(server.connectionCount()).isZero();
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(s.getLocalPort()).as("the port is free again").isEqualTo(port);
        }
        client.disconnect();
    }
}
