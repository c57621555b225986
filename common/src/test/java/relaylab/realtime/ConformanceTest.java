package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Engine.IO / Socket.IO details where the reference server (socket.io 4, engine.io 6) behaves in a precise way that
 * a strict peer or a protocol test-suite checks (issue 10). Each test speaks the wire format by hand.
 */
class ConformanceTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<String> reasons = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private RealtimeFixture start() {
        return RealtimeFixture.start(cfg -> { }, server -> server.on("connection", socket -> {
            socket.onDisconnect(reasons::add);
            socket.emit("welcome", "hi");
            socket.onAny((event, args) -> events.add(event));
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
        }));
    }

    private static void assertNothingLeft(RealtimeFixture fx) {
        Await.until("no connection left", () -> fx.server().connectionCount() == 0,
                () -> "connections: " + fx.server().connectionCount());
        Await.until("no socket left", () -> fx.server().sockets().isEmpty());
    }

    @Test
    @DisplayName("a pending polling GET is answered with a noop 6 when the client POSTs close (1)")
    void pendingGetGetsNoopOnClientClose() throws Exception {
        try (RealtimeFixture fx = start()) {
            String sid = RawHttp.openPolling(fx.port());
            CompletableFuture<RawHttp.Response> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.get(fx.port(), sid);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Await.until("the GET is pending", () -> fx.server().connection(sid) != null && fx.server().connection(sid).hasPendingPoll());
            assertThat(RawHttp.post(fx.port(), sid, "1").body()).isEqualTo("ok");
            assertThat(poll.get(15, TimeUnit.SECONDS).body()).as("the pending GET's answer").isEqualTo("6");
            assertNothingLeft(fx);
        }
    }

    @Test
    @DisplayName("a WebSocket carrying the sid of a session already upgraded is accepted, then closed; the session goes on")
    void upgradeOfUpgradedSession() throws Exception {
        try (RealtimeFixture fx = start()) {
            String sid = RawHttp.openPolling(fx.port());
            RawWebSocket probe = RawWebSocket.open(fx.port(), "EIO=4&transport=websocket&sid=" + sid);
            probe.send("2probe");
            assertThat(probe.next(WAIT)).isEqualTo("3probe");
            probe.send("5");
            probe.send("40");
            assertThat(probe.nextStartingWith("40", WAIT)).startsWith("40{\"sid\"");
            RawWebSocket again = new RawWebSocket(fx.port(), "EIO=4&transport=websocket&sid=" + sid);
            again.connectBlocking(15, TimeUnit.SECONDS); // true or false: the close may come before it returns
            assertThat(again.awaitClosed(WAIT)).as("the WebSocket is closed").isTrue();
            assertThat(again.closeCode()).as("closed with a close frame 1000 after the handshake was accepted (a refused"
                    + " handshake gives 1002, a bare TCP close 1006)").isEqualTo(1000);
            probe.send("421[\"echo\",\"still\"]");
            assertThat(probe.nextStartingWith("431", WAIT)).as("the upgraded session is untouched").isEqualTo("431[\"still\"]");
            probe.close();
            assertNothingLeft(fx);
        }
    }

    @Test
    @DisplayName("a binary frame on the upgrade probe closes the probe only; the polling session goes on")
    void binaryOnProbe() throws Exception {
        try (RealtimeFixture fx = start()) {
            String sid = RawHttp.openPolling(fx.port());
            RawWebSocket probe = RawWebSocket.open(fx.port(), "EIO=4&transport=websocket&sid=" + sid);
            probe.send(new byte[] {1, 2, 3});
            assertThat(probe.awaitClosed(WAIT)).as("the probe is closed").isTrue();
            assertThat(RawHttp.post(fx.port(), sid, "40").body()).as("the session still takes POSTs").isEqualTo("ok");
            assertThat(RawHttp.get(fx.port(), sid).body()).as("and answers GETs").startsWith("40{\"sid\"");
            RawHttp.post(fx.port(), sid, "1");
            assertNothingLeft(fx);
        }
    }

    @Test
    @DisplayName("a wrong probe payload closes the probe with a close frame (not a bare TCP close)")
    void wrongProbePayload() throws Exception {
        try (RealtimeFixture fx = start()) {
            String sid = RawHttp.openPolling(fx.port());
            RawWebSocket probe = RawWebSocket.open(fx.port(), "EIO=4&transport=websocket&sid=" + sid);
            probe.send("2wrong");
            assertThat(probe.awaitClosed(WAIT)).isTrue();
            assertThat(probe.closeCode()).as("1006 means the TCP connection ended without a close frame").isNotEqualTo(1006);
            assertThat(RawHttp.post(fx.port(), sid, "1").body()).as("the session itself goes on until closed").isEqualTo("ok");
            assertNothingLeft(fx);
        }
    }

    @Test
    @DisplayName("an EVENT before CONNECT closes the connection, as socket.io does")
    void eventBeforeConnect() throws Exception {
        try (RealtimeFixture fx = start(); LogCapture log = LogCapture.of("relaylab.realtime")) {
            RawWebSocket ws = RawWebSocket.open(fx.port());
            ws.next(WAIT);
            ws.send("42[\"echo\",\"x\"]");
            assertThat(ws.awaitClosed(WAIT)).isTrue();
            assertThat(log.containing("before CONNECT")).as("logged:" + log.describe()).isNotEmpty();
            assertNothingLeft(fx);
        }
    }

    @Test
    @DisplayName("a client EVENT named connect, disconnect or another reserved name closes the connection (parse error)")
    void reservedEventNames() throws Exception {
        try (RealtimeFixture fx = start()) {
            for (String name : List.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener")) {
                RawWebSocket ws = RawWebSocket.connected(fx.port());
                ws.send("42[\"" + name + "\",\"x\"]");
                assertThat(ws.awaitClosed(WAIT)).as(name).isTrue();
            }
            assertNothingLeft(fx);
            assertThat(events).as("no handler saw a reserved event").isEmpty();
            assertThat(reasons).containsOnly("parse error");
        }
    }

    @Test
    @DisplayName("a BINARY_ACK reaches a handler blocked in emitWithAck(...).get() just like an ACK does")
    void binaryAckFastPath() throws Exception {
        List<Object> answers = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> { }, server -> server.on("connection", socket ->
                socket.on("ask", args -> {
                    try {
                        answers.addAll(socket.emitWithAck("question", Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS));
                    } catch (Exception e) {
                        answers.add("failed: " + e);
                    }
                })))) {
            RawWebSocket ws = RawWebSocket.connected(fx.port());
            ws.send("42[\"ask\"]");
            String question = ws.nextStartingWith("42", WAIT);
            String id = question.substring(2, question.indexOf('['));
            ws.send("461-" + id + "[{\"_placeholder\":true,\"num\":0}]");
            ws.send(new byte[] {7, 8});
            Await.until("the blocked handler got the binary answer", () -> !answers.isEmpty(), answers::toString);
            assertThat(answers.get(0)).isEqualTo(new byte[] {7, 8});
            ws.close();
        }
    }

    @Test
    @DisplayName("ack ids: 15 digits are answered; longer ones close the connection (socket.io would lose digits)")
    void longAckIds() throws Exception {
        try (RealtimeFixture fx = start()) {
            RawWebSocket ws = RawWebSocket.connected(fx.port());
            ws.send("42999999999999999[\"echo\",1]");
            assertThat(ws.nextStartingWith("43", WAIT)).isEqualTo("43999999999999999[1]");
            ws.send("429999999999999999[\"echo\",1]");
            assertThat(ws.awaitClosed(WAIT)).isTrue();
            Await.until("the disconnect reason", () -> !reasons.isEmpty());
            assertThat(reasons).containsExactly("parse error");
            try (TestClient c = fx.client()) {
                assertThat(c.ack("echo", "fine")).containsExactly("fine");
            }
        }
    }
}
