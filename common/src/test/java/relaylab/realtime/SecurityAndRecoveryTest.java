package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityAndRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static KeyStore selfSigned(Path dir) throws Exception {
        Path file = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "relay", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as("keytool output: " + output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "changeit".toCharArray());
        }
        return store;
    }

    @Test
    @DisplayName("with cfg.ssl(...) the server speaks wss:// and a client trusting the certificate connects")
    void wss(@TempDir Path dir) throws Exception {
        KeyStore store = selfSigned(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.ssl(serverContext),
                server -> server.on("connection", s -> s.on("echo", (args, ack) -> ack.send(args.toArray()))))) {
            assertThat(fx.url()).startsWith("https://");
            TestClient c = fx.client(o -> o.sslContext(clientContext));
            assertThat(c.ack("echo", "secret")).containsExactly("secret");
            TestClient untrusting = fx.connecting(o -> o.reconnection(false));
            assertThat(untrusting.awaitConnectError(WAIT)).as("a client that does not trust the certificate").isNotBlank();
            assertThat(untrusting.connected()).isFalse();
        }
    }

    @Test
    @DisplayName("auth given as a supplier is computed again for each reconnection, e.g. to recover missed messages")
    void authSupplierAndReconnectAttempt() {
        List<Object> seenAuth = new CopyOnWriteArrayList<>();
        AtomicInteger counter = new AtomicInteger();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", s -> seenAuth.add(s.handshake().auth().get("n"))))) {
            List<Object> attempts = new CopyOnWriteArrayList<>();
            TestClient c = fx.client(o -> o.auth(() -> Map.of("n", counter.incrementAndGet())).randomizationFactor(0)
                    .reconnectionDelay(Duration.ofMillis(30)));
            c.client().on("reconnect_attempt", args -> attempts.add(args));
            for (EngineSession connection : fx.server().connections()) {
                connection.close("transport close");
            }
            c.awaitConnects(2, WAIT);
            assertThat(seenAuth).as("auth of the first connection, then of the reconnection").containsExactly(1, 2);
            assertThat(attempts).as("attempt number and delay").containsExactly(List.of(1, 30L));
        }
    }

    @Test
    @DisplayName("socket.use(filter) drops events before the handlers, e.g. a per-socket rate limit")
    void eventFilter() {
        List<Object> handled = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", s -> {
            AtomicInteger budget = new AtomicInteger(3);
            s.use((event, args) -> !event.equals("msg") || budget.getAndDecrement() > 0);
            s.on("msg", args -> handled.add(args.get(0)));
        }))) {
            TestClient c = fx.client();
            for (int i = 1; i <= 5; i++) {
                c.emit("msg", i);
            }
            fx.sync();
            assertThat(handled).as("only the first three pass the rate limit").containsExactly(1, 2, 3);
        }
    }
}
