import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.client.ClientOptions;
import relaylab.realtime.client.RealtimeClient;
import relaylab.workbook.Exercise;

/**
 * Lesson 14's command line (SecureChat.main runs it): serves the chat and a page on another origin, or runs
 * one attack against a fresh chat and prints "blocked: ..." or "GOT IN: ...". Nothing to write here.
 */
final class SecurityDemo {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private SecurityDemo() {
    }

    enum Attack { plaintext, cswsh, flood, oversize, forged_token, xss }

    @Command(name = "lesson14", mixinStandardHelpOptions = true, version = "Relay Lab lesson 14",
            description = {"Serves the secure chat on https (certificate made on first run in .relaylab/), and a page on",
                    "another origin that tries to hijack it; or runs one attack and says whether it got in."})
    static final class Main implements Runnable {
        @Option(names = "--port", defaultValue = "8443", description = "port of the chat; default ${DEFAULT-VALUE}")
        int port;
        @Option(names = "--evil-port", defaultValue = "8444", description = "port of the page on another origin; default ${DEFAULT-VALUE}")
        int evilPort;
        @Option(names = "--attack", converter = AttackName.class,
                description = "run one attack and exit: plaintext, cswsh, flood, oversize, forged-token or xss")
        Attack attack;
        @Option(names = "--certificate", defaultValue = ".relaylab/lesson14-chat.p12",
                description = "the chat's keystore, made on first run; default ${DEFAULT-VALUE}")
        Path certificate;

        @Override
        public void run() {
            Exercise.run(SecureChat.class, () -> {
                SecureChat chat = new SecureChat(certificate);
                RealtimeServer server = RealtimeServer.create(chat::configure);
                chat.install(server);
                server.start(attack == null ? port : 0);
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
                if (attack != null) {
                    try {
                        System.out.println(SecurityDemo.attack(chat, attack));
                    } finally {
                        server.stop();
                    }
                    return;
                }
                javax.net.ssl.SSLContext tls = chat.keyStore != null ? Certificates.serverContext(chat.keyStore) : null;
                RealtimeServer evil = RealtimeServer.create(cfg -> {
                    cfg.staticFiles(SecurityDemo.class, "/");
                    if (tls != null) {
                        cfg.ssl(tls);
                    }
                }).start(evilPort);
                Runtime.getRuntime().addShutdownHook(new Thread(evil::stop));
                String url = server.url().replace("127.0.0.1", "localhost");
                System.out.println("Secure chat on " + url + " (Ctrl-C stops it). Log in in two tabs and chat.");
                if (chat.keyStore != null) {
                    System.out.println("Its certificate is self-signed (" + certificate.toAbsolutePath() + "): the browser"
                            + " warns once; its public key's SHA-256 is " + Certificates.publicKeyPin(chat.keyStore));
                }
                System.out.println("Then, in the same browser, open " + evil.url().replace("127.0.0.1", "localhost")
                        + "/evil.html?victim=" + url + " : a page on another origin trying your cookie.");
                new CountDownLatch(1).await();
            });
        }
    }

    /** Accepts "forged-token" for Attack.forged_token. */
    static final class AttackName implements CommandLine.ITypeConverter<Attack> {
        @Override
        public Attack convert(String value) {
            return Attack.valueOf(value.replace('-', '_'));
        }
    }

    /** Runs one attack against a started chat; the answer starts with "blocked: " or "GOT IN: ". */
    static String attack(SecureChat chat, Attack attack) throws Exception {
        String url = chat.server.url();
        String victimToken = chat.login(List.of("victim")).token();
        switch (attack) {
            case plaintext -> {
                // the victim talks to the chat through a tap that copies every byte, as lesson 03's trace did
                try (WireTap tap = new WireTap(chat.server.port())) {
                    String secret = "meet me at the back door at noon";
                    try (RealtimeClient victim = client(url.replace(":" + chat.server.port(), ":" + tap.port()), chat,
                            Map.of("token", victimToken))) {
                        victim.emitWithAck("sendMessage", WAIT, secret).get(20, TimeUnit.SECONDS);
                    }
                    return tap.verdict(secret, victimToken);
                }
            }
            case forged_token -> {
                String forged = "ada." + Instant.now().plus(Duration.ofDays(3650)).getEpochSecond() + ".forged";
                try (RealtimeClient mallory = client(url, chat, Map.of("token", forged))) {
                    return "GOT IN: a made-up token let mallory in as ada";
                } catch (RuntimeException e) {
                    return "blocked: " + e.getMessage();
                }
            }
            case cswsh -> {
                HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(WAIT);
                if (chat.keyStore != null) {
                    builder.sslContext(Certificates.clientContext(chat.keyStore));
                }
                HttpResponse<String> open = builder.build().send(HttpRequest.newBuilder(URI.create(url
                                + "/socket.io/?EIO=4&transport=polling")).timeout(WAIT)
                        .header("Origin", "https://localhost:8444").header("Cookie", "token=" + victimToken).build(),
                        HttpResponse.BodyHandlers.ofString());
                return open.statusCode() == 403
                        ? "blocked: a handshake with Origin https://localhost:8444 got HTTP 403 " + open.body()
                        : "GOT IN: a page on https://localhost:8444 opened a session with the victim's cookie (HTTP "
                                + open.statusCode() + " " + open.body() + ")";
            }
            case flood -> {
                try (RealtimeClient flooder = client(url, chat, Map.of("token", victimToken));
                     RealtimeClient bystander = client(url, chat, Map.of("token", chat.login(List.of("bystander")).token()))) {
                    AtomicInteger refused = new AtomicInteger();
                    flooder.on("refused", args -> refused.incrementAndGet());
                    List<CompletableFuture<List<Object>>> acks = new java.util.ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        acks.add(flooder.emitWithAck("sendMessage", WAIT, "spam " + i));
                    }
                    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
                    Object answer = bystander.emitWithAck("sendMessage", WAIT, "still here?").get(20, TimeUnit.SECONDS).get(0);
                    String others = "; the bystander's message got " + answer;
                    return refused.get() == 0 ? "GOT IN: all 100 messages went to everyone" + others
                            : "blocked: " + refused.get() + " of 100 refused with an error event" + others;
                }
            }
            case oversize -> {
                try (RealtimeClient big = client(url, chat, Map.of("token", victimToken))) {
                    CompletableFuture<String> gone = new CompletableFuture<>();
                    big.onDisconnect(gone::complete);
                    CompletableFuture<List<Object>> ack = big.emitWithAck("sendMessage", WAIT, "x".repeat(100_000));
                    Object outcome = CompletableFuture.anyOf(ack, gone).get(20, TimeUnit.SECONDS);
                    if (outcome instanceof String reason) {
                        return "blocked: the server closed the connection before reading 100 KB (" + reason + ")";
                    }
                    Object reply = ((List<?>) outcome).get(0);
                    return reply instanceof Map<?, ?> m && m.containsKey("reason")
                            ? "blocked: " + m.get("reason") : "GOT IN: a 100 KB message went to everyone";
                }
            }
            case xss -> {
                HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(WAIT);
                if (chat.keyStore != null) {
                    builder.sslContext(Certificates.clientContext(chat.keyStore));
                }
                HttpResponse<String> page = builder.build().send(HttpRequest.newBuilder(URI.create(url + "/")).timeout(WAIT)
                        .build(), HttpResponse.BodyHandlers.ofString());
                return page.headers().firstValue("Content-Security-Policy")
                        .map(policy -> "blocked: the page forbids inline script and handlers (Content-Security-Policy: "
                                + policy + "); chat.js renders with textContent (the browser tests prove it)")
                        .orElse("GOT IN: no Content-Security-Policy: an <img src=x onerror=...> that reaches"
                                + " innerHTML runs in every reader's page");
            }
            default -> throw new IllegalArgumentException("unknown attack " + attack);
        }
    }

    /** A connected client (throws with the connect_error when refused); trusts the chat's certificate when it has one. */
    private static RealtimeClient client(String url, SecureChat chat, Map<String, ?> auth) throws Exception {
        SSLContext trust = chat != null && chat.keyStore != null ? Certificates.clientContext(chat.keyStore) : null;
        CompletableFuture<String> refused = new CompletableFuture<>();
        RealtimeClient client = RealtimeClient.connect(url, (ClientOptions o) -> {
            o.auth(auth).reconnection(false);
            if (trust != null) {
                o.sslContext(trust);
            }
        });
        client.on("connect_error", args -> refused.complete(args.isEmpty() ? "refused"
                : args.get(0) instanceof Map<?, ?> error ? String.valueOf(error.get("message")) : String.valueOf(args.get(0))));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return client.awaitConnected(Duration.ofMillis(100));
            } catch (IllegalStateException e) {
                if (client.active() && System.nanoTime() < deadline) {
                    continue;   // still trying: a refusal stops the client, so it ends the wait early
                }
                client.close();
                String message = e.getMessage();
                int last = message.indexOf("last error: ");
                throw new IllegalStateException(refused.getNow(last < 0 ? message : message.substring(last + 12)), e);
            }
        }
    }

    static void main(String[] args) {
        Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; the lesson prints its own lines
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
