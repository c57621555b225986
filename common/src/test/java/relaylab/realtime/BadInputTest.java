package relaylab.realtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of bad input: a clear log line, only the offender affected, nothing left behind. */
class BadInputTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("relaylab.realtime");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final List<String> reasons = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    {
        logger.addHandler(capture);
    }

    @AfterEach
    void removeHandler() {
        logger.removeHandler(capture);
    }

    private RealtimeFixture start() {
        return RealtimeFixture.start(cfg -> cfg.pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(300))
                .connectTimeout(Duration.ofMillis(400)).maxPayload(1000), server -> server.on("connection", socket -> {
                    socket.onDisconnect(reasons::add);
                    socket.on("echo", (args, ack) -> ack.send(args.toArray()));
                    socket.on("boom", args -> {
                        throw new IllegalStateException("boom on purpose");
                    });
                }));
    }

    /** A well-behaved client keeps working, then everything else is gone. */
    private void assertOthersFineAndNothingLeft(RealtimeFixture fx, TestClient bystander) {
        assertThat(bystander.ack("echo", "still here")).as("a well-behaved client is unaffected").containsExactly("still here");
        bystander.close();
        Await.until("no connection left", () -> fx.server().connectionCount() == 0,
                () -> "connections: " + fx.server().connectionCount());
        Await.until("no timer left", () -> fx.server().timerCount() == 0, () -> "timers: " + fx.server().timerCount());
        assertThat(bystander.awaitDisconnected(WAIT)).as("the bystander was only disconnected by its own close()")
                .isEqualTo("io client disconnect");
    }

    private void assertLogged(String fragment) {
        Await.until("a log line containing \"" + fragment + "\"", () -> log.stream().anyMatch(l -> l.contains(fragment)),
                () -> "log: " + log);
    }

    private void rawClosedBecause(RawWebSocket raw, String reason, String logFragment) {
        assertThat(raw.awaitClosed(WAIT)).as("the offending connection is closed").isTrue();
        assertLogged(logFragment);
        if (reason != null) {
            Await.until("disconnect reason " + reason, () -> reasons.contains(reason), () -> "reasons: " + reasons);
        }
    }

    @Test
    @DisplayName("an unknown Engine.IO packet type closes that connection only")
    void malformedEnginePacket() {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            RawWebSocket raw = RawWebSocket.connected(fx.port());
            raw.send("9garbage");
            rawClosedBecause(raw, "transport error", "unknown Engine.IO packet type");
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("a malformed Socket.IO packet closes that connection with reason parse error")
    void malformedSocketIoPacket() {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            RawWebSocket raw = RawWebSocket.connected(fx.port());
            raw.send("49[\"x\"]");
            rawClosedBecause(raw, "parse error", "unknown Socket.IO packet type");
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("invalid JSON in an EVENT closes that connection with reason parse error")
    void invalidJson() {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            RawWebSocket raw = RawWebSocket.connected(fx.port());
            raw.send("42[\"chat\",");
            rawClosedBecause(raw, "parse error", "invalid JSON");
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("an EVENT whose data is not a non-empty array with a name is rejected")
    void eventNotAnArray() {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            for (String bad : List.of("42{\"a\":1}", "42[]", "42[1,2]", "42\"chat\"")) {
                RawWebSocket raw = RawWebSocket.connected(fx.port());
                raw.send(bad);
                assertThat(raw.awaitClosed(WAIT)).as("closed after " + bad).isTrue();
            }
            assertLogged("EVENT data must be a non-empty JSON array");
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("CONNECT to an unknown namespace is answered with 44 Invalid namespace and the connection stays usable")
    void unknownNamespace() {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            RawWebSocket raw = RawWebSocket.open(fx.port());
            raw.next(WAIT);
            raw.send("40/x,");
            assertThat(raw.next(WAIT)).isEqualTo("44/x,{\"message\":\"Invalid namespace\"}");
            raw.send("40");
            assertThat(raw.next(WAIT)).startsWith("40{\"sid\":");
            assertLogged("unknown namespace /x");
            raw.close();
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("an event nobody handles is logged and ignored; the connection goes on")
    void unhandledEvent() {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            TestClient sender = fx.client();
            sender.emit("nobody-listens", 1);
            assertThat(sender.ack("echo", 2)).containsExactly(2);
            assertLogged("no handler for event 'nobody-listens'");
            sender.close();
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("a handler that throws is logged with socket id and event; the connection goes on")
    void throwingHandler() {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            TestClient sender = fx.client();
            sender.emit("boom");
            assertThat(sender.ack("echo", "after")).containsExactly("after");
            assertLogged("handler for 'boom' threw: java.lang.IllegalStateException");
            assertLogged("(socket " + sender.id() + " on namespace /)");
            sender.close();
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("a WebSocket message bigger than maxPayload closes that connection")
    void oversizedWebSocketMessage() {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            RawWebSocket raw = RawWebSocket.connected(fx.port());
            raw.send("42[\"echo\",\"" + "x".repeat(2000) + "\"]");
            rawClosedBecause(raw, "transport error", "larger than maxPayload 1000");
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("a polling POST bigger than maxPayload gets 413 and closes the session")
    void oversizedPollingMessage() throws Exception {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            String sid = pollingHandshake(fx);
            HttpResponse<String> r = post(fx, sid, "42[\"echo\",\"" + "x".repeat(2000) + "\"]");
            assertThat(r.statusCode()).isEqualTo(413);
            assertLogged("more than maxPayload 1000");
            assertThat(get(fx, "EIO=4&transport=polling&sid=" + sid).statusCode()).as("the session is gone").isEqualTo(400);
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("a handshake refused by cfg.allowRequest gets HTTP 403 with code 4, on polling and on WebSocket")
    void allowRequestRefuses() throws Exception {
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.allowRequest(request ->
                "yes".equals(request.query().get("let-me-in")) ? null : "no entry without let-me-in"), server -> { })) {
            HttpResponse<String> refused = get(fx, "EIO=4&transport=polling");
            assertThat(refused.statusCode()).as("status of a refused polling handshake").isEqualTo(403);
            assertThat(refused.body()).isEqualTo("{\"code\":4,\"message\":\"no entry without let-me-in\"}");
            assertThat(fx.server().connectionCount()).as("sessions opened by refused handshakes").isZero();
            HttpResponse<String> accepted = get(fx, "EIO=4&transport=polling&let-me-in=yes");
            assertThat(accepted.statusCode()).as("status of an allowed handshake").isEqualTo(200);
            assertThat(accepted.body()).startsWith("0{\"sid\":");
            TestClient ws = fx.connecting(o -> o.reconnection(false));
            assertThat(ws.awaitConnectError(WAIT)).as("connect_error of a WebSocket handshake without let-me-in")
                    .contains("403");
        }
    }

    @Test
    @DisplayName("wrong EIO, unknown transport and unknown sid get HTTP 400 with a JSON code and message")
    void badRequests() throws Exception {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            HttpResponse<String> eio = get(fx, "EIO=3&transport=polling");
            assertThat(eio.statusCode()).isEqualTo(400);
            assertThat(eio.body()).isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
            assertThat(get(fx, "transport=polling").body()).contains("\"code\":5");
            HttpResponse<String> transport = get(fx, "EIO=4&transport=carrier-pigeon");
            assertThat(transport.statusCode()).isEqualTo(400);
            assertThat(transport.body()).isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
            HttpResponse<String> sid = get(fx, "EIO=4&transport=polling&sid=nope");
            assertThat(sid.statusCode()).isEqualTo(400);
            assertThat(sid.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
            assertThat(sid.headers().firstValue("content-type")).hasValue("application/json");
            HttpResponse<String> postNoSid = http.send(HttpRequest.newBuilder(uri(fx, "EIO=4&transport=polling"))
                    .POST(HttpRequest.BodyPublishers.ofString("40")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(postNoSid.body()).isEqualTo("{\"code\":2,\"message\":\"Bad handshake method\"}");
            HttpResponse<String> wsNoUpgrade = get(fx, "EIO=4&transport=websocket");
            assertThat(wsNoUpgrade.body()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
            RawWebSocket unknownSid = new RawWebSocket(fx.port(), "EIO=4&transport=websocket&sid=nope");
            assertThat(unknownSid.connectBlocking(5, TimeUnit.SECONDS)).as("a WebSocket with an unknown sid is refused").isFalse();
            assertLogged("Session ID unknown");
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("a second GET poll while one is pending is a protocol error that closes the session")
    void concurrentPoll() throws Exception {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            String sid = pollingHandshake(fx);
            CompletableFuture<HttpResponse<String>> first = http.sendAsync(HttpRequest.newBuilder(
                    uri(fx, "EIO=4&transport=polling&sid=" + sid)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second;
            // the first GET must be registered before the second one arrives: wait until the server holds it
            EngineSession connection = fx.server().connection(sid);
            Await.until("first poll held by the server", () -> connection.hasPendingPoll());
            second = get(fx, "EIO=4&transport=polling&sid=" + sid);
            assertThat(second.statusCode()).isEqualTo(400);
            assertThat(first.get(5, TimeUnit.SECONDS).body()).as("the pending poll is answered with a close packet").isEqualTo("1");
            assertLogged("second GET while one is pending");
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("a client that never sends CONNECT is closed after connectTimeout")
    void noConnect() {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            RawWebSocket raw = RawWebSocket.open(fx.port());
            assertThat(raw.next(WAIT)).startsWith("0{\"sid\":");
            rawClosedBecause(raw, null, "sent no CONNECT within 400 ms");
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    @Test
    @DisplayName("a client that stops answering pings is closed with reason ping timeout")
    void noPong() {
        try (RealtimeFixture fx = start()) {
            TestClient ok = fx.client();
            RawWebSocket raw = RawWebSocket.connected(fx.port());
            assertThat(raw.nextStartingWith("2", WAIT)).isEqualTo("2");
            rawClosedBecause(raw, "ping timeout", "did not answer the ping within 300 ms");
            assertOthersFineAndNothingLeft(fx, ok);
        }
    }

    // ------------------------------------------------------------------ HTTP helpers

    private static URI uri(RealtimeFixture fx, String query) {
        return URI.create(fx.url() + "/socket.io/?" + query);
    }

    private HttpResponse<String> get(RealtimeFixture fx, String query) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(fx, query)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(RealtimeFixture fx, String sid, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(fx, "EIO=4&transport=polling&sid=" + sid)).timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String pollingHandshake(RealtimeFixture fx) throws Exception {
        HttpResponse<String> open = get(fx, "EIO=4&transport=polling");
        assertThat(open.body()).startsWith("0{\"sid\":");
        Map<?, ?> json = RealtimeJson.mapper().readValue(open.body().substring(1), Map.class);
        return (String) json.get("sid");
    }
}
