package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the core that once cost memory, file descriptors or other clients' service (issue 10): each test sends
 * what an attacker would, from outside (raw sockets, raw HTTP), and checks that only the attacker is affected and
 * that nothing is left behind.
 */
class HardeningTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final AtomicInteger connected = new AtomicInteger();
    private final List<String> reasons = new CopyOnWriteArrayList<>();
    private final List<Object> received = new CopyOnWriteArrayList<>();

    private RealtimeFixture start(Consumer<RealtimeConfig> configure, Consumer<RealtimeServer> more) {
        return RealtimeFixture.start(configure, server -> {
            server.on("connection", socket -> {
                connected.incrementAndGet();
                socket.onDisconnect(reasons::add);
                socket.on("echo", (args, ack) -> ack.send(args.toArray()));
                socket.on("up", args -> received.addAll(args));
                socket.on("chat", args -> socket.broadcast().emit("chat", args.toArray()));
            });
            more.accept(server);
        });
    }

    private RealtimeFixture start() {
        return start(cfg -> { }, server -> { });
    }

    private static void assertNothingLeft(RealtimeFixture fx) {
        Await.until("no socket left", () -> fx.server().sockets().isEmpty(),
                () -> "sockets: " + fx.server().sockets().size());
        Await.until("no connection left", () -> fx.server().connectionCount() == 0,
                () -> "connections: " + fx.server().connectionCount());
    }

    private static void assertBystanderServed(RealtimeFixture fx) {
        try (TestClient bystander = fx.client()) {
            assertThat(bystander.ack("echo", "still here")).as("a well-behaved client is unaffected").containsExactly("still here");
        }
    }

    // ------------------------------------------------------------------ 1. ghost sockets

    @Test
    @DisplayName("1000 CONNECTs in one polling POST give at most one socket, and none once the client is gone")
    void ghostSocketsFromOnePost() throws Exception {
        try (RealtimeFixture fx = start()) {
            String sid = RawHttp.openPolling(fx.port());
            RawHttp.post(fx.port(), sid, String.join(String.valueOf(RawHttp.RS), java.util.Collections.nCopies(1000, "40")));
            RawHttp.post(fx.port(), sid, "1");
            assertNothingLeft(fx);
            assertThat(connected.get()).as("connection handlers run for one connection and one namespace").isLessThanOrEqualTo(1);
            assertBystanderServed(fx);
        }
    }

    @Test
    @DisplayName("50 CONNECTs on one WebSocket while an asynchronous middleware decides: the client is closed, no socket stays")
    void ghostSocketsWithAsyncMiddleware() throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (RealtimeFixture fx = start(cfg -> { },
                server -> server.use((socket, next) -> later.schedule(next::ok, 20, TimeUnit.MILLISECONDS)))) {
            RawWebSocket ws = RawWebSocket.open(fx.port());
            ws.next(WAIT);
            for (int i = 0; i < 50; i++) {
                ws.send("40");
            }
            assertThat(ws.awaitClosed(WAIT)).as("a CONNECT while one is pending closes the client, as socket.io does").isTrue();
            assertNothingLeft(fx);
            assertThat(connected.get()).as("connection handlers run at most once").isLessThanOrEqualTo(1);
            assertBystanderServed(fx);
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    @DisplayName("a second CONNECT to a namespace the client is already connected to closes the client")
    void connectTwice() throws Exception {
        try (RealtimeFixture fx = start()) {
            RawWebSocket ws = RawWebSocket.connected(fx.port());
            ws.send("40");
            assertThat(ws.awaitClosed(WAIT)).as("the connection is closed").isTrue();
            assertNothingLeft(fx);
            Await.until("the disconnect reason", () -> !reasons.isEmpty());
            assertThat(reasons).as("the first socket's disconnect reason").containsExactly("forced server close");
        }
    }

    // ------------------------------------------------------------------ 3. attachments

    @Test
    @DisplayName("a binary packet announcing 999,999 attachments is refused at once (the cap is 10 by default)")
    void tooManyAttachments() throws Exception {
        try (RealtimeFixture fx = start(); LogCapture log = LogCapture.of("relaylab.realtime")) {
            RawWebSocket ws = RawWebSocket.connected(fx.port());
            ws.send("45999999-[\"up\",{\"_placeholder\":true,\"num\":0}]");
            assertThat(ws.awaitClosed(WAIT)).as("the connection is closed before any attachment arrives").isTrue();
            assertThat(log.containing("attachments")).as("a log line about the attachment count:" + log.describe()).isNotEmpty();
            assertNothingLeft(fx);
        }
    }

    @Test
    @DisplayName("maxAttachments(n): n attachments pass, n + 1 close the connection")
    void attachmentCap() throws Exception {
        try (RealtimeFixture fx = start(cfg -> cfg.maxAttachments(2), server -> { })) {
            RawWebSocket ok = RawWebSocket.connected(fx.port());
            ok.send("452-[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            ok.send(new byte[] {1});
            ok.send(new byte[] {2});
            Await.until("two attachments received", () -> received.size() == 2);
            assertThat(received.get(0)).isEqualTo(new byte[] {1});
            RawWebSocket tooMany = RawWebSocket.connected(fx.port());
            tooMany.send("453-[\"up\",{\"_placeholder\":true,\"num\":0}]");
            assertThat(tooMany.awaitClosed(WAIT)).as("3 attachments with maxAttachments(2)").isTrue();
            ok.close();
            assertNothingLeft(fx);
        }
    }

    @Test
    @DisplayName("a binary packet with 0 attachments, or a placeholder whose num is not an integer, closes the connection")
    void badPlaceholders() throws Exception {
        try (RealtimeFixture fx = start()) {
            RawWebSocket zero = RawWebSocket.connected(fx.port());
            zero.send("450-[\"up\",{\"_placeholder\":true,\"num\":0}]");
            assertThat(zero.awaitClosed(WAIT)).as("0 attachments announced").isTrue();
            RawWebSocket text = RawWebSocket.connected(fx.port());
            text.send("451-[\"up\",{\"_placeholder\":true,\"num\":\"0\"}]");
            text.send(new byte[] {1});
            assertThat(text.awaitClosed(WAIT)).as("a placeholder with num \"0\" (a string)").isTrue();
            RawWebSocket fraction = RawWebSocket.connected(fx.port());
            fraction.send("451-[\"up\",{\"_placeholder\":true,\"num\":0.5}]");
            fraction.send(new byte[] {1});
            assertThat(fraction.awaitClosed(WAIT)).as("a placeholder with num 0.5").isTrue();
            assertThat(received).as("no handler saw these packets").isEmpty();
            assertNothingLeft(fx);
        }
    }

    // ------------------------------------------------------------------ 6. CORS

    @Test
    @DisplayName("cors(\"*\") answers a literal * and never allows credentials, whatever the Origin (even null)")
    void corsStarWithoutCredentials() throws Exception {
        try (RealtimeFixture fx = start(cfg -> cfg.cors("*"), server -> { })) {
            for (String origin : List.of("https://evil.example", "null")) {
                RawHttp.Response open = RawHttp.request(fx.port(), "GET", "/socket.io/?EIO=4&transport=polling",
                        "Origin: " + origin + "\r\n", null);
                assertThat(open.status()).isEqualTo(200);
                assertThat(open.header("access-control-allow-origin")).as("for Origin " + origin).isEqualTo("*");
                assertThat(open.header("access-control-allow-credentials")).as("credentials with * (Origin " + origin + ")").isNull();
                RawHttp.Response preflight = RawHttp.request(fx.port(), "OPTIONS", "/socket.io/?EIO=4&transport=polling",
                        "Origin: " + origin + "\r\nAccess-Control-Request-Method: POST\r\n", null);
                assertThat(preflight.header("access-control-allow-origin")).isEqualTo("*");
                assertThat(preflight.header("access-control-allow-credentials")).isNull();
            }
        }
    }

    @Test
    @DisplayName("cors(a, b): each listed origin is echoed with credentials; others, and null, get no CORS header")
    void corsListWithCredentials() throws Exception {
        try (RealtimeFixture fx = start(cfg -> cfg.cors("http://a.example", "http://b.example"), server -> { })) {
            for (String origin : List.of("http://a.example", "http://b.example")) {
                RawHttp.Response open = RawHttp.request(fx.port(), "GET", "/socket.io/?EIO=4&transport=polling",
                        "Origin: " + origin + "\r\n", null);
                assertThat(open.header("access-control-allow-origin")).isEqualTo(origin);
                assertThat(open.header("access-control-allow-credentials")).isEqualTo("true");
            }
            for (String origin : List.of("http://evil.example", "null")) {
                RawHttp.Response open = RawHttp.request(fx.port(), "GET", "/socket.io/?EIO=4&transport=polling",
                        "Origin: " + origin + "\r\n", null);
                assertThat(open.header("access-control-allow-origin")).as("for Origin " + origin).isNull();
                assertThat(open.header("access-control-allow-credentials")).as("for Origin " + origin).isNull();
            }
        }
    }

    // ------------------------------------------------------------------ 4. headers

    @Test
    @DisplayName("a request with 64 KB of headers is refused before any session opens")
    void oversizedHeaders() throws Exception {
        try (RealtimeFixture fx = start()) {
            String big = "X-Big: " + "a".repeat(64 * 1024) + "\r\n";
            RawHttp.Response open = RawHttp.request(fx.port(), "GET", "/socket.io/?EIO=4&transport=polling", big, null);
            assertThat(open.status()).as("no open packet for 64 KB of headers: " + open.body()).isNotEqualTo(200);
            assertThat(fx.server().connectionCount()).isZero();
            RawHttp.Response fine = RawHttp.request(fx.port(), "GET", "/socket.io/?EIO=4&transport=polling",
                    "X-Fine: " + "a".repeat(8 * 1024) + "\r\n", null);
            assertThat(fine.status()).as("8 KB of headers are fine").isEqualTo(200);
            assertBystanderServed(fx);
        }
    }

    @Test
    @DisplayName("the handshake keeps the request's headers but not the WebSocket handshake's own (key, version, extensions)")
    void handshakeHeaders() throws Exception {
        List<java.util.Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = start(cfg -> { }, server -> server.on("connection", s -> seen.add(s.handshake().headers())))) {
            RawWebSocket ws = RawWebSocket.connected(fx.port());
            Await.until("the connection handler ran", () -> !seen.isEmpty());
            assertThat(seen.get(0)).containsKeys("host", "upgrade").doesNotContainKeys("sec-websocket-key", "sec-websocket-version");
            ws.close();
        }
    }

    // ------------------------------------------------------------------ 5. timeouts and the connection cap

    @Test
    @DisplayName("headersTimeout: a client that never finishes its request headers is disconnected")
    void stalledHeaders() throws Exception {
        try (RealtimeFixture fx = start(cfg -> cfg.headersTimeout(Duration.ofMillis(300)), server -> { });
             RawHttp slow = new RawHttp(fx.port())) {
            slow.write("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nX-Slow: a");
            Await.until("the server hangs up on the half-sent request", () -> closed(slow));
            assertBystanderServed(fx);
        }
    }

    @Test
    @DisplayName("idleTimeout: a polling POST whose body stalls is closed, and so is its session")
    void stalledBody() throws Exception {
        try (RealtimeFixture fx = start(cfg -> cfg.pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofSeconds(30)).idleTimeout(Duration.ofMillis(500)),
                server -> { })) {
            String sid = RawHttp.openPolling(fx.port());
            try (RawHttp slow = new RawHttp(fx.port())) {
                slow.write("POST /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n40");
                Await.until("the server hangs up on the stalled body", () -> closed(slow));
            }
            assertNothingLeft(fx);
            assertBystanderServed(fx);
        }
    }

    @Test
    @DisplayName("maxConnections(n): closed WebSockets free their place; with n TCP connections open (counted from accept), the next one is refused (and logged) until one leaves")
    void connectionCap() throws Exception {
        try (RealtimeFixture fx = start(cfg -> cfg.maxConnections(2), server -> { });
             LogCapture log = LogCapture.of("relaylab.realtime")) {
            for (int i = 0; i < 5; i++) {
                RawWebSocket ws = RawWebSocket.connected(fx.port());
                ws.closeBlocking();
            }
            Await.until("the WebSockets are gone", () -> fx.server().connectionCount() == 0);
            RawHttp idle1 = new RawHttp(fx.port());
            RawHttp idle2 = new RawHttp(fx.port());
            idle1.write("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idle1.read().status()).isEqualTo(200);
            idle2.write("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idle2.read().status()).isEqualTo(200);
            RawHttp.Response third = RawHttp.request(fx.port(), "GET", "/socket.io/?EIO=4&transport=polling", "", null);
            assertThat(third.status()).as("a third connection over maxConnections(2)").isIn(-1, 503);
            Await.until("the refusal is logged", () -> !log.containing("maxConnections").isEmpty(), log::describe);
            idle1.close();
            Await.until("a connection is accepted again once one left", () -> {
                try {
                    return RawHttp.request(fx.port(), "GET", "/socket.io/?EIO=4&transport=polling", "", null).status() == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            idle2.close();
        }
    }

    // ------------------------------------------------------------------ 2. inbound backpressure

    @Test
    @DisplayName("maxInboundPackets: while a handler is stuck, a WebSocket's reading pauses (logged) and nothing is lost")
    void webSocketBackpressure() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        try (RealtimeFixture fx = start(cfg -> cfg.maxInboundPackets(20), server -> server.on("connection", socket ->
                socket.on("work", args -> {
                    awaitQuietly(release);
                    handled.incrementAndGet();
                })));
             LogCapture log = LogCapture.of("relaylab.realtime")) {
            RawWebSocket ws = RawWebSocket.connected(fx.port());
            for (int i = 0; i < 200; i++) {
                ws.send("42[\"work\"," + i + "]");
            }
            Await.until("reading paused", () -> !log.containing("reading paused").isEmpty(), log::describe);
            release.countDown();
            Await.until("all 200 events handled", () -> handled.get() == 200, () -> handled.get() + " handled");
            ws.send("421[\"echo\",\"after\"]");
            assertThat(ws.nextStartingWith("431", WAIT)).as("reading resumed").isEqualTo("431[\"after\"]");
            ws.close();
            assertNothingLeft(fx);
        }
    }

    @Test
    @DisplayName("maxInboundPackets: a polling POST is answered only once its packets fit in the queue; nothing is lost")
    void pollingBackpressure() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        try (RealtimeFixture fx = start(cfg -> cfg.maxInboundPackets(20), server -> server.on("connection", socket ->
                socket.on("work", args -> {
                    entered.countDown();
                    awaitQuietly(release);
                    handled.incrementAndGet();
                })))) {
            String sid = RawHttp.openPolling(fx.port());
            assertThat(RawHttp.post(fx.port(), sid, "40").body()).isEqualTo("ok");
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                body.append(i == 0 ? "" : String.valueOf(RawHttp.RS)).append("42[\"work\",").append(i).append(']');
            }
            java.util.concurrent.CompletableFuture<RawHttp.Response> post = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.post(fx.port(), sid, body.toString());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(entered.await(15, TimeUnit.SECONDS)).as("the handler started").isTrue();
            // another request round trip: an answer sent before the handler started would have arrived by now
            RawHttp.request(fx.port(), "GET", "/socket.io/?EIO=4&transport=polling&sid=unknown", "", null);
            assertThat(post).as("the POST of 100 packets is not answered while 99 wait behind a stuck handler").isNotDone();
            release.countDown();
            assertThat(post.get(15, TimeUnit.SECONDS).body()).isEqualTo("ok");
            Await.until("all 100 events handled", () -> handled.get() == 100, () -> handled.get() + " handled");
            RawHttp.post(fx.port(), sid, "1");
            assertNothingLeft(fx);
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ 7. logs

    @Test
    @DisplayName("client strings are logged without line breaks or control characters, and cut to a short length")
    void logForging() throws Exception {
        try (RealtimeFixture fx = start(); LogCapture log = LogCapture.of("relaylab.realtime")) {
            RawWebSocket ws = RawWebSocket.connected(fx.port());
            ws.send("42[\"nobody\\r\\nSEVERE: fake line " + "x".repeat(5000) + "\"]");
            ws.send("40/nowhere\\r\\nSEVERE: fake,{}");
            Await.until("both logged", () -> log.containing("nobody").size() + log.containing("nowhere").size() >= 2, log::describe);
            for (java.util.logging.LogRecord r : log.records()) {
                assertThat(r.getMessage()).as("a log line").doesNotContain("\n").doesNotContain("\r").hasSizeLessThan(1000);
            }
            ws.close();
        }
    }

    @Test
    @DisplayName("a client that keeps causing the same warning gets a few log lines, then one line saying how many were left out")
    void logFlood() throws Exception {
        try (RealtimeFixture fx = start(); LogCapture log = LogCapture.of("relaylab.realtime")) {
            RawWebSocket ws = RawWebSocket.connected(fx.port());
            for (int i = 0; i < 500; i++) {
                ws.send("42[\"nobody" + i + "\"]");
            }
            ws.send("421[\"echo\",\"done\"]");
            assertThat(ws.nextStartingWith("431", WAIT)).isEqualTo("431[\"done\"]");
            assertThat(log.containing("nobody")).as("lines about 500 unhandled events:" + log.describe()).hasSizeBetween(1, 20);
            ws.close();
        }
    }

    @Test
    @DisplayName("a log handler that blocks holds up no I/O thread: while it is stuck on a line, another client on the same thread is served")
    void slowLogHandler() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.logging.Handler stuck = stuckOn("rejected", entered, release);
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("relaylab.realtime");
        // one I/O thread: the bad request and the bystander are served by the same thread
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try (RealtimeFixture fx = start(cfg -> cfg.ioThreads(1), server -> { });
             TestClient bystander = fx.client()) {
            assertThat(bystander.ack("echo", "before")).containsExactly("before");
            jul.addHandler(stuck);
            try {
                // a poll for an unknown session: refused with HTTP 400, and logged ("rejected ...") on the I/O thread
                http.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + fx.port()
                        + "/socket.io/?EIO=4&transport=polling&sid=nobody")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the log handler got the line and is stuck").isTrue();
                assertThat(bystander.ack("echo", "while the log handler is stuck"))
                        .as("a client on the same I/O thread, served while the log handler blocks")
                        .containsExactly("while the log handler is stuck");
            } finally {
                release.countDown();
                jul.removeHandler(stuck);
            }
        }
    }

    @Test
    @DisplayName("lines that find the log queue full are dropped and counted, and the next line published says how many")
    void logQueueFull() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.logging.Handler stuck = stuckOn("first line", entered, release);
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("relaylab.realtime");
        jul.addHandler(stuck);
        boolean toParents = jul.getUseParentHandlers();
        jul.setUseParentHandlers(false); // 10,000 lines stay off the console
        try (LogCapture log = LogCapture.of("relaylab.realtime")) {
            CoreLog.LOG.log(System.Logger.Level.WARNING, "first line");
            assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the log thread stuck on the first line").isTrue();
            for (int i = 0; i < CoreLog.CAPACITY + 5; i++) {
                CoreLog.LOG.log(System.Logger.Level.WARNING, "queued line " + i);
            }
            release.countDown();
            assertThat(log.containing("5 lines of the relaylab.realtime log were dropped")).as(log.records().size() + " lines").hasSize(1);
            assertThat(log.containing("queued line")).hasSize(CoreLog.CAPACITY);
        } finally {
            release.countDown();
            jul.removeHandler(stuck);
            jul.setUseParentHandlers(toParents);
        }
    }

    /** A log handler that, on the first line containing {@code text}, counts down {@code entered} and waits for {@code release}. */
    private static java.util.logging.Handler stuckOn(String text, java.util.concurrent.CountDownLatch entered,
                                                     java.util.concurrent.CountDownLatch release) {
        return new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (String.valueOf(record.getMessage()).contains(text) && entered.getCount() > 0) {
                    entered.countDown();
                    awaitQuietly(release);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    // ------------------------------------------------------------------ 8. slow readers

    @Test
    @DisplayName("a slow reader is cut off by what its queued frames hold in heap: 1M tiny frames count, not only their bytes")
    void slowReaderTinyFrames() throws Exception {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        // limit 64 x 160,000 = 10.24 MB; 1M frames of 9 bytes are 9 MB, a part of which the kernel's buffers take:
        // by their bytes alone they never reach the limit, by what they hold (65 bytes each) they do
        try (RealtimeFixture fx = start(cfg -> cfg.maxPayload(160_000).pingTimeout(Duration.ofSeconds(60)),
                server -> server.on("connection", socket -> socket.on("tiny", args -> {
                    for (int i = 0; i < 1_000_000 && socket.connected(); i++) {
                        socket.emit("t");
                    }
                    done.countDown();
                })));
             LogCapture log = LogCapture.of("relaylab.realtime");
             WireClient reader = new WireClient(fx.port(), "EIO=4&transport=websocket", 4096)) {
            reader.nextText();
            reader.sendText("40");
            assertThat(reader.nextText()).startsWith("40");
            reader.sendText("42[\"tiny\"]");
            assertThat(done.await(120, TimeUnit.SECONDS)).as("the handler finished emitting").isTrue();
            Await.until("the client cut off as a slow reader", () -> !log.containing("reads too slowly").isEmpty(), log::describe);
            assertNothingLeft(fx);
        }
    }

    // ------------------------------------------------------------------ 9. stop

    @Test
    @DisplayName("stop() with frames queued for a client that does not read logs no stack trace")
    void stopQuietly() throws Exception {
        java.util.concurrent.CountDownLatch flooded = new java.util.concurrent.CountDownLatch(4);
        try (LogCapture log = LogCapture.of("")) {
            RealtimeServer server = RealtimeServer.create(cfg -> cfg.pingTimeout(Duration.ofSeconds(30)));
            server.on("connection", socket -> socket.on("flood", args -> {
                for (int i = 0; i < 400; i++) {
                    socket.emit("m", "x".repeat(100_000));
                }
                flooded.countDown();
            }));
            server.start(0);
            List<WireClient> clients = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    WireClient c = new WireClient(server.port(), "EIO=4&transport=websocket", 4096);
                    clients.add(c);
                    c.nextText();
                    c.sendText("40");
                    assertThat(c.nextText()).startsWith("40");
                    c.sendText("42[\"flood\"]");
                }
                assertThat(flooded.await(15, TimeUnit.SECONDS)).as("40 MB queued for each client that does not read").isTrue();
                server.stop();
            } finally {
                for (WireClient c : clients) {
                    c.close();
                }
                server.stop();
            }
            assertThat(log.records().stream().filter(r -> r.getThrown() != null).toList())
                    .as("log records with a stack trace:" + log.describe()).isEmpty();
        }
    }

    private static boolean closed(RawHttp http) {
        try {
            return http.closedByServer();
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
