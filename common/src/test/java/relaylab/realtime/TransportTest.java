package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Engine.IO transports at the wire level: polling, upgrade, binary, CORS, static files. */
class TransportTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final HttpClient http = HttpClient.newHttpClient();

    private static RealtimeFixture echoServer(java.util.function.Consumer<RealtimeConfig> cfg) {
        return RealtimeFixture.start(cfg, server -> server.on("connection", socket -> {
            socket.emit("welcome", "hi");
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
            socket.on("shout", args -> socket.emit("shouted", args.toArray()));
            socket.on("all", args -> socket.namespace().emit("everyone", args.toArray()));
        }));
    }

    private HttpResponse<String> get(RealtimeFixture fx, String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/socket.io/?" + query)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(RealtimeFixture fx, String sid, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/socket.io/?EIO=4&transport=polling&sid=" + sid))
                .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String handshake(RealtimeFixture fx) throws Exception {
        HttpResponse<String> open = get(fx, "EIO=4&transport=polling");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).startsWith("0{").contains("\"upgrades\":[\"websocket\"]").contains("\"pingInterval\":")
                .contains("\"pingTimeout\":").contains("\"maxPayload\":");
        return (String) RealtimeJson.mapper().readValue(open.body().substring(1), Map.class).get("sid");
    }

    @Test
    @DisplayName("HTTP long-polling: POST sends (answer ok), GET receives packets joined by the record separator")
    void polling() throws Exception {
        try (RealtimeFixture fx = echoServer(cfg -> { })) {
            String sid = handshake(fx);
            HttpResponse<String> connect = post(fx, sid, "40");
            assertThat(connect.body()).isEqualTo("ok");
            String answer = get(fx, "EIO=4&transport=polling&sid=" + sid).body();
            String[] packets = answer.split("\u001e");
            assertThat(packets[0]).startsWith("40{\"sid\":\"").doesNotContain(sid);
            assertThat(packets[1]).isEqualTo("42[\"welcome\",\"hi\"]");
            assertThat(post(fx, sid, "421[\"echo\",1]\u001e42[\"shout\",\"a\"]").body()).isEqualTo("ok");
            StringBuilder received = new StringBuilder();
            while (!(received.toString().contains("431[1]") && received.toString().contains("42[\"shouted\",\"a\"]"))) {
                received.append(get(fx, "EIO=4&transport=polling&sid=" + sid).body()).append('\u001e');
            }
            assertThat(received.toString()).contains("431[1]");
            assertThat(post(fx, sid, "1").body()).isEqualTo("ok");
            Await.until("session closed", () -> fx.server().connectionCount() == 0 && fx.server().timerCount() == 0);
        }
    }

    @Test
    @DisplayName("one broadcast reaches WebSocket clients and polling sessions alike")
    void mixedBroadcast() throws Exception {
        try (RealtimeFixture fx = echoServer(cfg -> { })) {
            String sid = handshake(fx);
            post(fx, sid, "40");
            assertThat(get(fx, "EIO=4&transport=polling&sid=" + sid).body()).startsWith("40{");
            TestClient ws = fx.client();
            ws.emit("all", "news");
            ws.await("everyone", WAIT);
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("42[\"everyone\",\"news\"]")) {
                seen.append(get(fx, "EIO=4&transport=polling&sid=" + sid).body());
            }
            assertThat(seen.toString()).contains("42[\"everyone\",\"news\"]");
        }
    }

    @Test
    @DisplayName("polling upgrade: 2probe/3probe, the pending poll gets a noop 6, then 5 moves the session to WebSocket")
    void upgrade() throws Exception {
        try (RealtimeFixture fx = echoServer(cfg -> { })) {
            String sid = handshake(fx);
            post(fx, sid, "40");
            assertThat(get(fx, "EIO=4&transport=polling&sid=" + sid).body()).startsWith("40{\"sid\":");
            CompletableFuture<HttpResponse<String>> pending = http.sendAsync(HttpRequest.newBuilder(
                    URI.create(fx.url() + "/socket.io/?EIO=4&transport=polling&sid=" + sid)).build(), HttpResponse.BodyHandlers.ofString());
            EngineSession connection = fx.server().connection(sid);
            Await.until("poll held by the server", connection::hasPendingPoll);
            RawWebSocket ws = RawWebSocket.open(fx.port(), "EIO=4&transport=websocket&sid=" + sid);
            ws.send("2probe");
            assertThat(ws.next(WAIT)).isEqualTo("3probe");
            assertThat(pending.get(5, TimeUnit.SECONDS).body()).as("the pending poll is released with a noop").isEqualTo("6");
            ws.send("5");
            ws.send("421[\"echo\",\"over ws\"]");
            assertThat(ws.nextStartingWith("43", WAIT)).isEqualTo("431[\"over ws\"]");
            assertThat(get(fx, "EIO=4&transport=polling&sid=" + sid).statusCode()).as("polling is over for this session").isEqualTo(400);
            ws.close();
            Await.until("session closed", () -> fx.server().connectionCount() == 0 && fx.server().timerCount() == 0);
        }
    }

    @Test
    @DisplayName("polling upgrade: a poll that arrives after 3probe returns at once with a noop (the client waits for it before sending 5)")
    void upgradeWithLatePoll() throws Exception {
        try (RealtimeFixture fx = echoServer(cfg -> cfg.pingInterval(Duration.ofSeconds(60)))) {
            String sid = handshake(fx);
            post(fx, sid, "40");
            assertThat(get(fx, "EIO=4&transport=polling&sid=" + sid).body()).startsWith("40{\"sid\":").contains("welcome");
            RawWebSocket ws = RawWebSocket.open(fx.port(), "EIO=4&transport=websocket&sid=" + sid);
            ws.send("2probe");
            assertThat(ws.next(WAIT)).isEqualTo("3probe");
            CompletableFuture<HttpResponse<String>> late = http.sendAsync(HttpRequest.newBuilder(
                    URI.create(fx.url() + "/socket.io/?EIO=4&transport=polling&sid=" + sid)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(late.get(5, TimeUnit.SECONDS).body()).as("the poll sent after 3probe is answered with a noop, not held"
                    + " until the next ping (60 s here)").isEqualTo("6");
            ws.send("5");
            ws.send("421[\"echo\",\"upgraded\"]");
            assertThat(ws.nextStartingWith("43", WAIT)).isEqualTo("431[\"upgraded\"]");
            ws.close();
            Await.until("session closed", () -> fx.server().connectionCount() == 0 && fx.server().timerCount() == 0);
        }
    }

    @Test
    @DisplayName("a session opened over polling sends pings that a POST 3 answers")
    void pollingHeartbeat() throws Exception {
        try (RealtimeFixture fx = echoServer(cfg -> cfg.pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(2000)))) {
            String sid = handshake(fx);
            post(fx, sid, "40");
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("\u001e2\u001e")) {
                seen.append('\u001e').append(get(fx, "EIO=4&transport=polling&sid=" + sid).body()).append('\u001e');
            }
            post(fx, sid, "3");
            Await.until("pong counted", () -> fx.server().connection(sid).pongs() == 1);
        }
    }

    @Test
    @DisplayName("binary arguments travel as attachments both ways, over WebSocket and polling")
    void binary() throws Exception {
        List<Object> received = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", socket -> {
            socket.on("upload", (args, ack) -> {
                received.add(args.get(0));
                ack.send(Map.of("copy", args.get(0), "size", ((byte[]) args.get(0)).length));
            });
            socket.on("download", args -> socket.emit("file", "name.bin", new byte[] {9, 8, 7}));
        }))) {
            TestClient c = fx.client();
            List<Object> ack = c.ack("upload", (Object) new byte[] {1, 2, 3});
            assertThat((byte[]) received.get(0)).containsExactly(1, 2, 3);
            Map<?, ?> reply = (Map<?, ?>) ack.get(0);
            assertThat((byte[]) reply.get("copy")).as("binary inside an ack object").containsExactly(1, 2, 3);
            assertThat(reply.get("size")).isEqualTo(3);
            c.emit("download");
            List<Object> file = c.await("file", WAIT);
            assertThat(file.get(0)).isEqualTo("name.bin");
            assertThat((byte[]) file.get(1)).containsExactly(9, 8, 7);

            RawWebSocket raw = RawWebSocket.connected(fx.port());
            raw.send("42[\"download\"]");
            assertThat(raw.nextStartingWith("45", WAIT)).isEqualTo("451-[\"file\",\"name.bin\",{\"_placeholder\":true,\"num\":0}]");
            assertThat(raw.next(WAIT)).isEqualTo("<binary 3>");
            raw.close();

            String sid = handshake(fx);
            post(fx, sid, "40");
            get(fx, "EIO=4&transport=polling&sid=" + sid);
            assertThat(post(fx, sid, "451-[\"upload\",{\"_placeholder\":true,\"num\":0}]\u001ebBAUG").body()).isEqualTo("ok");
            Await.until("polling upload received", () -> received.size() == 2);
            assertThat((byte[]) received.get(1)).containsExactly(4, 5, 6);
            post(fx, sid, "42[\"download\"]");
            String body = get(fx, "EIO=4&transport=polling&sid=" + sid).body();
            assertThat(body).isEqualTo("451-[\"file\",\"name.bin\",{\"_placeholder\":true,\"num\":0}]\u001ebCQgH");
        }
    }

    @Test
    @DisplayName("cors(origin) adds the CORS headers to polling responses and answers the preflight")
    void cors() throws Exception {
        try (RealtimeFixture fx = echoServer(cfg -> cfg.cors("http://localhost:3000"))) {
            HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/socket.io/?EIO=4&transport=polling"))
                    .header("Origin", "http://localhost:3000").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(open.headers().firstValue("access-control-allow-origin")).hasValue("http://localhost:3000");
            assertThat(open.headers().firstValue("access-control-allow-credentials")).hasValue("true");
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/socket.io/?EIO=4&transport=polling"))
                    .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.headers().firstValue("access-control-allow-origin")).as("other origins get no CORS header").isEmpty();
            HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/socket.io/?EIO=4&transport=polling"))
                    .header("Origin", "http://localhost:3000").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(v -> assertThat(v).contains("POST"));
        }
    }

    @Test
    @DisplayName("static files come from a classpath folder or a directory; /socket.io/socket.io.js serves the browser client")
    void staticFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (RealtimeFixture fx = echoServer(cfg -> cfg.staticFiles("/relaylab/realtime/corepublic"))) {
            HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).contains("core static");
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/nope.html")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            HttpResponse<String> js = http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/socket.io/socket.io.js")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        }
        Files.writeString(dir.resolve("page.html"), "from disk");
        try (RealtimeFixture fx = echoServer(cfg -> cfg.staticDir(dir))) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/page.html")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).isEqualTo("from disk");
        }
    }
}
