import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relaylab.realtime.client.ClientOptions;
import relaylab.realtime.client.RealtimeClient;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

/**
 * Each attack of lesson 14 against a fresh chat on a free port: it must be blocked. While a defence is an
 * unfinished TODO the chat runs without it, the attack gets in, and the test says so.
 */
class SecureChatTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    @TempDir
    Path dir;
    private SecureChat chat;
    private RealtimeFixture fx;

    @BeforeEach
    void start() {
        chat = new SecureChat(dir.resolve("chat.p12"));
        fx = RealtimeFixture.start(chat::configure, chat::install);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** Trusts the chat's own certificate when it has one (task 1). */
    private void trust(ClientOptions options) {
        try {
            if (chat.keyStore != null) {
                options.sslContext(Certificates.clientContext(chat.keyStore));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust the chat's certificate: " + e, e);
        }
    }

    /** Logs in on "/login" as the page does and returns the token. */
    private String login(String name) {
        TestClient login = fx.client(o -> { trust(o); o.namespace("/login"); });
        Object reply = login.ack("login", name).get(0);
        assertThat(reply).as("the ack of login(\"" + name + "\")").isInstanceOf(Map.class);
        login.close();
        return String.valueOf(((Map<?, ?>) reply).get("token"));
    }

    private TestClient connected(String token) {
        return fx.client(o -> { trust(o); o.auth(Map.of("token", token)); });
    }

    private String refusedWith(String token) {
        TestClient client = fx.connecting(o -> { trust(o); o.auth(Map.of("token", token)).reconnection(false); });
        String error = client.awaitConnectError(WAIT);
        assertThat(client.connected()).as("connected with token " + token + "; unfinished: " + chat.missing).isFalse();
        return error;
    }

    private HttpResponse<String> get(String path, Consumer<HttpRequest.Builder> headers) throws Exception {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(WAIT);
        if (chat.keyStore != null) {
            http.sslContext(Certificates.clientContext(chat.keyStore));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fx.url() + path)).timeout(WAIT);
        headers.accept(request);
        return http.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Tag("task:1")
    @DisplayName("the chat speaks only TLS: a client trusting exactly its certificate gets in, plain http and default trust do not")
    void onlyTls() {
        assertThat(fx.url()).as("GOT IN: the chat is served in plain text, readable by anyone on the network; unfinished: "
                + chat.missing).startsWith("https://");
        TestClient ada = connected(login("ada"));
        assertThat(ada.await("welcome", WAIT)).containsExactly("ada");
        TestClient defaultTrust = fx.connecting(o -> o.reconnection(false));
        assertThat(defaultTrust.awaitConnectError(WAIT)).as("connect_error of a client trusting only the usual CAs")
                .isNotBlank();
        TestClient plain = fx.connecting(o -> o.reconnection(false));
        assertThat(plain.connected()).isFalse();
        assertThat(defaultTrust.connected()).isFalse();
    }

    @Test
    @Tag("task:1")
    @DisplayName("the certificate is made on the first run, kept in its file and reused by the next run")
    void certificateReused() throws Exception {
        Path file = dir.resolve("chat.p12");
        assertThat(file).as("the keystore after the first start; unfinished: " + chat.missing).exists();
        byte[] before = Files.readAllBytes(file);
        KeyStore again = Certificates.keyStore(file);
        assertThat(Files.readAllBytes(file)).as("the keystore file after a second run").isEqualTo(before);
        assertThat(again.getCertificate(Certificates.ALIAS)).isEqualTo(chat.keyStore.getCertificate(Certificates.ALIAS));
        KeyStore fresh = Certificates.keyStore(dir.resolve("other.p12"));
        assertThat(fresh.getCertificate(Certificates.ALIAS)).as("the certificate of another file")
                .isNotEqualTo(again.getCertificate(Certificates.ALIAS));
    }

    /**
     * Connects through the tap with the token, sends the message, waits for its ack and returns what crossed the tap
     * until then, both ways (taken before the client closes: the tap copies a byte before passing it on, so every
     * record the other side has read is whole in the copy).
     */
    private List<byte[]> sendThrough(WireTap tap, String url, String token, String message) throws Exception {
        try (RealtimeClient victim = RealtimeClient.connect(url.replaceFirst(":\\d+$", ":" + tap.port()),
                o -> { trust(o); o.auth(Map.of("token", token)).reconnection(false); })) {
            victim.awaitConnected(WAIT);
            victim.emitWithAck("sendMessage", WAIT, message).get(10, TimeUnit.SECONDS);
            return List.of(tap.sent(), tap.received());
        }
    }

    @Test
    @Tag("task:1")
    @DisplayName("a tap on the wire of a plain ws:// chat reads the upgrade, the token and the chat text (lesson 03's trace)")
    void wireTapReadsPlainWs() throws Exception {
        try (RealtimeFixture plain = RealtimeFixture.start(cfg -> { }, server -> server.on("connection", socket ->
                socket.on("sendMessage", (args, ack) -> {
                    server.emit("receiveMessage", args.get(0));
                    ack.send("ok");
                })));
             WireTap tap = new WireTap(plain.port())) {
            List<byte[]> crossed = sendThrough(tap, plain.url(), "ada.123.secret-token", "meet me at noon");
            assertThat(WireTap.tlsRecords(crossed.get(0))).as("TLS records on a plain connection").isEmpty();
            assertThat(WireTap.readable(crossed.get(0))).as("what the client sent, as the tap reads it")
                    .startsWith("GET /socket.io/").contains("ada.123.secret-token", "meet me at noon");
            assertThat(new String(crossed.get(1), StandardCharsets.UTF_8)).as("the bytes the server sent, as they are")
                    .contains("HTTP/1.1 101", "meet me at noon");
        }
    }

    @Test
    @Tag("task:1")
    @DisplayName("the same tap on the chat's wss:// sees only TLS records: headers it can read, neither text nor token")
    void wireTapSeesOnlyTls() throws Exception {
        String token = login("victim");
        try (WireTap tap = new WireTap(fx.port())) {
            for (byte[] bytes : sendThrough(tap, fx.url(), token, "meet me at noon")) {
                String seen = new String(bytes, StandardCharsets.UTF_8) + WireTap.readable(bytes);
                assertThat(seen).as("GOT IN: the tap read the chat in plain text; unfinished: " + chat.missing)
                        .doesNotContain("meet me at noon").doesNotContain(token).doesNotContain("socket.io");
                List<WireTap.TlsRecord> records = WireTap.tlsRecords(bytes);
                assertThat(records).as("the TLS records of " + bytes.length + " bytes").isNotEmpty();
                assertThat(records.get(0).type()).as("the first record: a handshake (22)").isEqualTo(22);
                assertThat(records).as("application data records (23)").anyMatch(r -> r.type() == 23);
                assertThat(records.stream().mapToInt(r -> 5 + r.length()).sum()).as("bytes covered by record headers")
                        .isEqualTo(bytes.length);
            }
        }
    }

    @Test
    @Tag("task:2")
    @DisplayName("a forged, tampered, malformed or expired token is refused with a reason; a signed one lets its user in")
    void onlySignedTokens() {
        String future = String.valueOf(Instant.now().plus(Duration.ofDays(3650)).getEpochSecond());
        assertThat(refusedWith("ada." + future + ".forged")).as("the reason a forged token is refused").contains("signature");
        String token = login("ada");
        String[] parts = token.split("\\.");
        assertThat(parts).as("the token from login: user.expiry.signature").hasSize(3);
        assertThat(refusedWith("eve." + parts[1] + "." + parts[2])).as("ada's signature on eve's name").contains("signature");
        assertThat(refusedWith("ada." + future + "." + parts[2])).as("ada's signature with a later expiry").contains("signature");
        assertThat(refusedWith("just-a-name")).as("the reason a malformed token is refused").containsIgnoringCase("malformed");
        String expired = chat.tokens.sign("ada", Instant.now().minusSeconds(60));
        assertThat(refusedWith(expired)).as("the reason an expired token is refused").containsIgnoringCase("expired");
        assertThat(connected(token).await("welcome", WAIT)).as("welcome of ada's own token").containsExactly("ada");
    }

    @Test
    @Tag("task:2")
    @DisplayName("a token that expires while connected ends the session: sessionEnded, then the server disconnects")
    void expiryDisconnects() {
        String token = chat.tokens.sign("ada", Instant.now().plusSeconds(3));
        TestClient ada = connected(token);
        assertThat(ada.await("sessionEnded", Duration.ofSeconds(10))).as("the reason given").hasSize(1);
        assertThat(ada.awaitDisconnected(WAIT)).as("the disconnect reason").isEqualTo("io server disconnect");
    }

    @Test
    @Tag("task:3")
    @DisplayName("cross-site WebSocket hijacking: a handshake from another origin with the victim's cookie gets 403")
    void otherOriginsRefused() throws Exception {
        String cookie = "token=" + login("victim");
        HttpResponse<String> evil = get("/socket.io/?EIO=4&transport=polling",
                r -> r.header("Origin", "https://localhost:8444").header("Cookie", cookie));
        assertThat(evil.statusCode()).as("GOT IN: a page on another origin opened a session with the victim's cookie ("
                + evil.body() + "); unfinished: " + chat.missing).isEqualTo(403);
        assertThat(evil.body()).contains("\"code\":4");
        for (String origin : chat.ownOrigins()) {
            assertThat(get("/socket.io/?EIO=4&transport=polling", r -> r.header("Origin", origin).header("Cookie", cookie))
                    .statusCode()).as("handshake from the chat's own origin " + origin).isEqualTo(200);
        }
        String lookalike = fx.url() + ".evil.example";
        assertThat(get("/socket.io/?EIO=4&transport=polling", r -> r.header("Origin", lookalike)).statusCode())
                .as("handshake from " + lookalike + " (a prefix match would let it in)").isEqualTo(403);
    }

    @Test
    @Tag("task:4")
    @DisplayName("a flood is cut to a burst of 10 then 5 a second, refused with an error event; others are unaffected")
    void floodLimited() throws Exception {
        TestClient flooder = connected(login("flooder"));
        TestClient bystander = connected(login("bystander"));
        long started = System.nanoTime();
        List<CompletableFuture<List<Object>>> acks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            acks.add(flooder.emitWithAck("sendMessage", WAIT, "spam " + i));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        long accepted = acks.stream().filter(a -> a.join().get(0) instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("ok")))
                .count();
        assertThat(accepted).as("GOT IN: messages of 40 let through in %.1f s; unfinished: %s", seconds, chat.missing)
                .isLessThanOrEqualTo(SecureChat.BURST + (long) Math.ceil(seconds * SecureChat.PER_SECOND) + 1);
        List<Object> refusal = flooder.await("refused", WAIT);
        assertThat(String.valueOf(refusal.get(0))).as("the refused event").contains("too many");
        assertThat(bystander.ack("sendMessage", "still here").get(0)).as("the bystander's ack during the flood")
                .isEqualTo(Map.of("ok", true));
        TestClient fresh = connected(login("fresh"));
        for (int i = 0; i < SecureChat.BURST; i++) {
            assertThat(fresh.ack("sendMessage", "burst " + i).get(0)).as("a new socket's message " + i + " of its burst")
                    .isEqualTo(Map.of("ok", true));
        }
    }

    @Test
    @Tag("task:5")
    @DisplayName("a 100 KB message closes the sender's connection unread; the chat goes on for the others")
    void oversizeRefused() {
        TestClient big = connected(login("big"));
        TestClient reader = connected(login("reader"));
        big.emit("sendMessage", "x".repeat(100_000));
        assertThat(big.awaitDisconnected(WAIT)).as("GOT IN: the 100 KB message was read; unfinished: " + chat.missing)
                .isNotBlank();
        TestClient other = connected(login("other"));
        assertThat(other.ack("sendMessage", "after the big one").get(0)).isEqualTo(Map.of("ok", true));
        reader.await("receiveMessage", args -> String.valueOf(args.get(0)).contains("after the big one"), WAIT);
        assertThat(reader.received("receiveMessage")).as("messages the reader got")
                .noneMatch(args -> String.valueOf(args.get(0)).contains("xxxxxxxxxx"));
    }

    @Test
    @Tag("task:5")
    @DisplayName("malformed, empty and too long messages are refused with a reason and reach nobody")
    void malformedRefused() {
        TestClient sender = connected(login("sender"));
        TestClient reader = connected(login("reader"));
        List<Object[]> bad = List.of(new Object[] {Map.of("text", "an object")}, new Object[] {"two", "texts"},
                new Object[] {}, new Object[] {42}, new Object[] {"   "}, new Object[] {"y".repeat(SecureChat.MAX_TEXT + 1)});
        for (Object[] args : bad) {
            Object reply = sender.ack("sendMessage", args).get(0);
            assertThat(reply).as("GOT IN: the ack of sendMessage%s, passed on to everyone; unfinished: %s",
                    List.of(args), chat.missing).isInstanceOf(Map.class).asString().contains("reason=");
            assertThat(String.valueOf(((Map<?, ?>) reply).get("reason"))).as("the reason for sendMessage" + List.of(args))
                    .isNotBlank();
        }
        assertThat(sender.ack("sendMessage", "fine").get(0)).isEqualTo(Map.of("ok", true));
        reader.await("receiveMessage", args -> String.valueOf(args.get(0)).contains("fine"), WAIT);
        assertThat(reader.received("receiveMessage")).as("what the reader received").hasSize(1);
    }

    @Test
    @Tag("task:6")
    @DisplayName("every page file carries a Content-Security-Policy that allows no inline script")
    void pagesCarryPolicy() throws Exception {
        for (String path : List.of("/", "/chat.js", "/chat.css")) {
            HttpResponse<String> page = get(path, r -> { });
            assertThat(page.statusCode()).as("status of " + path).isEqualTo(200);
            String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(policy).as("GOT IN: the Content-Security-Policy of " + path + "; unfinished: " + chat.missing)
                    .contains("script-src 'self'").doesNotContain("unsafe-inline");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).as("X-Content-Type-Options of " + path)
                    .contains("nosniff");
        }
    }
}
