package relaylab.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relaylab.realtime.testing.RealtimeFixture;

/** cfg.allowedOrigins (the defence against cross-site WebSocket hijacking) and cfg.pageHeader. */
class OriginsAndHeadersTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> polling(RealtimeFixture fx, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fx.url() + "/socket.io/?EIO=4&transport=polling"))
                .timeout(WAIT);
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a bare WebSocket with this Origin header; completes with "open" or with the handshake failure. */
    private static String webSocket(RealtimeFixture fx, String origin) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        URI uri = URI.create(fx.url().replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket");
        WebSocketClient ws = new WebSocketClient(uri, Map.of("Origin", origin)) {
            @Override
            public void onOpen(ServerHandshake handshake) {
                outcome.complete("open");
            }

            @Override
            public void onMessage(String message) {
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
                outcome.complete("closed: " + reason);
            }

            @Override
            public void onError(Exception ex) {
                outcome.complete("error: " + ex.getMessage());
            }
        };
        try {
            ws.connect();
            return outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            ws.closeBlocking();
        }
    }

    @Test
    @DisplayName("allowedOrigins: an exact listed Origin opens, any other gets 403 code 4 on polling and WebSocket, one log line each")
    void allowedOrigins() throws Exception {
        try (LogCapture logs = LogCapture.of("relaylab.realtime");
             RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.allowedOrigins("https://chat.example"), server -> { })) {
            assertThat(polling(fx, "https://chat.example").statusCode()).as("polling from the listed origin").isEqualTo(200);
            assertThat(polling(fx, null).statusCode()).as("polling without an Origin header (not a browser page)").isEqualTo(200);
            for (String evil : new String[] {"https://evil.example", "https://chat.example.evil.example", "http://chat.example",
                    "https://chat.example:444", "null"}) {
                HttpResponse<String> refused = polling(fx, evil);
                assertThat(refused.statusCode()).as("polling from " + evil).isEqualTo(403);
                assertThat(refused.body()).isEqualTo("{\"code\":4,\"message\":\"origin not allowed: " + evil + "\"}");
            }
            assertThat(webSocket(fx, "https://chat.example")).as("WebSocket from the listed origin").isEqualTo("open");
            assertThat(webSocket(fx, "https://evil.example")).as("WebSocket from another origin").contains("403");
            assertThat(logs.containing("origin not allowed")).as("log lines about refused origins:" + logs.describe())
                    .hasSize(6);
        }
    }

    @Test
    @DisplayName("allowedOrigins with a supplier reads the list at every handshake (origins known after start)")
    void allowedOriginsLate() throws Exception {
        java.util.List<String> origins = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.allowedOrigins(() -> origins), server -> { })) {
            assertThat(polling(fx, fx.url()).statusCode()).as("before the origin is listed").isEqualTo(403);
            origins.add(fx.url());
            assertThat(polling(fx, fx.url()).statusCode()).as("after the origin is listed").isEqualTo(200);
        }
    }

    @Test
    @DisplayName("pageHeader: every static file carries the header, the /socket.io/ requests do not")
    void pageHeaders(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("index.html"), "<p>hi</p>");
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.staticDir(dir)
                .pageHeader("Content-Security-Policy", "default-src 'self'"), server -> { })) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).isEqualTo("<p>hi</p>");
            assertThat(page.headers().firstValue("Content-Security-Policy")).contains("default-src 'self'");
            assertThat(polling(fx, null).headers().firstValue("Content-Security-Policy")).isEmpty();
        }
    }

    @Test
    @DisplayName("pageHeader refuses a line break in the value and a malformed name")
    void pageHeaderRefusesInjection() {
        RealtimeConfig cfg = new RealtimeConfig();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cfg.pageHeader("X-A", "a\r\nSet-Cookie: x=1"))
                .hasMessageContaining("line break");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cfg.pageHeader("X A", "a"))
                .hasMessageContaining("not a header name");
    }
}
