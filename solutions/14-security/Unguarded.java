import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import relaylab.realtime.Handshake;
import relaylab.realtime.Middleware;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.TodoRecorder;

/**
 * The chat with no defence of its own (given; SecureChat adds the defences): log in on "/login" for a token,
 * join "/" with it, send "sendMessage", everyone receives "receiveMessage". While a defence of SecureChat is
 * an unfinished TODO, the chat runs without it, as an app that never had it does, and says so once.
 */
abstract class Unguarded {
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "lesson14-token-expiry");
        thread.setDaemon(true);
        return thread;
    });

    /** One chat message; text is whatever the sender sent while the validation (task 5) is missing. */
    record ChatMessage(String user, Object text, String time) {
    }

    /** Why the server did not take an event: the "refused" event and the ack of sendMessage. */
    record Refusal(String event, String reason) {
    }

    /** The ack of "login": a token, or an error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Login(boolean ok, String user, String token, String error) {
    }

    final Path certificate;
    final Tokens tokens = new Tokens();
    /** The unfinished defences met so far (their TODO messages), for the demo and the tests' failure messages. */
    final Set<String> missing = ConcurrentHashMap.newKeySet();
    volatile RealtimeServer server;
    /** The chat's certificate, or null while task 1 is unfinished (then it serves plain http). */
    volatile KeyStore keyStore;

    Unguarded(Path certificate) {
        this.certificate = certificate;
    }

    // the defences, written in SecureChat
    abstract void authenticate(RealtimeSocket socket, Middleware.Next next);

    abstract void restrictOrigins(RealtimeConfig cfg);

    abstract boolean withinRate(RealtimeSocket socket);

    abstract void limitPayload(RealtimeConfig cfg);

    abstract String invalid(List<Object> args);

    abstract void addPageHeaders(RealtimeConfig cfg);

    /** Settings: the page files, TLS (task 1), origins (3), payload limit (5), page headers (6). */
    void configure(RealtimeConfig cfg) {
        cfg.staticFiles(Unguarded.class, "/");
        guarded("serving plain http and ws", () -> {
            keyStore = Certificates.keyStore(certificate);
            cfg.ssl(Certificates.serverContext(keyStore));
            return null;
        });
        guarded("pages of any origin may open sockets", () -> run(() -> restrictOrigins(cfg)));
        guarded("messages up to 1 MB are read", () -> run(() -> limitPayload(cfg)));
        guarded("no Content-Security-Policy", () -> run(() -> addPageHeaders(cfg)));
    }

    /** The handlers: login, the token check (task 2), and the chat with its rate (4) and validity (5) checks. */
    void install(RealtimeServer server) {
        this.server = server;
        server.of("/login").on("connection", socket -> socket.on("login", (args, ack) -> ack.send(login(args))));
        server.use((socket, next) -> {
            if (guarded("anyone who names a user in a token gets in as that user",
                    () -> run(() -> authenticate(socket, next))) == null) {
                String claimed = String.valueOf(tokenOf(socket.handshake())).split("\\.")[0];
                socket.data().put("user", claimed);
                next.ok();
            }
        });
        server.on("connection", socket -> {
            socket.emit("welcome", socket.data().get("user"));
            socket.on("sendMessage", (args, ack) -> {
                Boolean within = guarded("no limit on how fast a socket sends", () -> withinRate(socket));
                String reason = Boolean.FALSE.equals(within)
                        ? "too many messages: at most " + SecureChat.BURST + " at once, then " + SecureChat.PER_SECOND + " a second"
                        : guarded("any message is passed on as it came", () -> invalid(args));
                if (reason != null) {
                    socket.emit("refused", new Refusal("sendMessage", reason));
                    ack.send(new Refusal("sendMessage", reason));
                    return;
                }
                server.emit("receiveMessage", new ChatMessage(String.valueOf(socket.data().get("user")),
                        args.isEmpty() ? null : args.get(0), Instant.now().toString()));
                ack.send(Map.of("ok", true));
            });
        });
    }

    /** The origins the chat's own page is served from: this server's address by IP and as localhost. */
    List<String> ownOrigins() {
        List<String> origins = new ArrayList<>();
        if (server != null && server.port() > 0) {
            origins.add(server.url());
            origins.add(server.url().replace("127.0.0.1", "localhost"));
        }
        return origins;
    }

    /** Ends the socket's session when its token expires: the page learns why, then the server disconnects it. */
    void disconnectAt(RealtimeSocket socket, Duration left, String reason) {
        ScheduledFuture<?> timer = TIMERS.schedule(() -> {
            socket.emit("sessionEnded", reason);
            socket.disconnect();
        }, Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
        socket.onDisconnect(why -> timer.cancel(false));
    }

    /** The token a client brought: auth.token (the Java client), else the "token" cookie (the page). */
    static String tokenOf(Handshake handshake) {
        if (handshake.auth().get("token") instanceof String token) {
            return token;
        }
        for (String header : handshake.headers().getOrDefault("cookie", List.of())) {
            for (String cookie : header.split(";")) {
                String[] pair = cookie.strip().split("=", 2);
                if (pair.length == 2 && pair[0].equals("token")) {
                    return pair[1];
                }
            }
        }
        return null;
    }

    /** Answers "login": a token for a valid name (the demo's attacks log in this way too). */
    Login login(List<Object> args) {
        String name = args.isEmpty() ? null : String.valueOf(args.get(0)).strip();
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,20}")) {
            return new Login(false, null, null, "a name is 1 to 20 letters, digits, _ or -");
        }
        Instant expires = Instant.now().plus(TOKEN_LIFETIME);
        String token = guarded("tokens are not signed", () -> tokens.sign(name, expires));
        return new Login(true, name, token != null ? token : name + "." + expires.getEpochSecond() + ".unsigned", null);
    }

    /** Runs one defence; when it is still a TODO, remembers and announces that, and returns null. */
    <T> T guarded(String without, java.util.concurrent.Callable<T> defence) {
        try {
            return defence.call();
        } catch (UnsupportedOperationException e) {
            if (!TodoRecorder.isTodo(e)) {
                throw e;
            }
            if (missing.add(e.getMessage())) {
                System.out.println("  (" + e.getMessage() + " - not written yet, so: " + without + ")");
            }
            return null;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static Boolean run(Runnable code) {
        code.run();
        return Boolean.TRUE;
    }
}
