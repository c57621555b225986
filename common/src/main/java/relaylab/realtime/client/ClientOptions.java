package relaylab.realtime.client;

import javax.net.ssl.SSLContext;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Settings of a {@link RealtimeClient}, filled in the lambda given to
 * {@link RealtimeClient#connect(String, Consumer)}. Defaults follow the reference
 * client: reconnect forever with a delay of 1 s doubling up to 5 s, randomised by ±50 %, as socket.io's backoff.
 */
public final class ClientOptions {
    String namespace = "/";
    String path = "/socket.io/";
    Supplier<? extends Map<String, ?>> auth = Map::of;
    SSLContext sslContext;
    boolean reconnection = true;
    Duration reconnectionDelay = Duration.ofSeconds(1);
    Duration reconnectionDelayMax = Duration.ofSeconds(5);
    double randomizationFactor = 0.5;
    int reconnectionAttempts = Integer.MAX_VALUE;
    Duration connectTimeout = Duration.ofSeconds(20);
    boolean answerPings = true;

    ClientOptions() {
    }

    /** The namespace to join, e.g. "/admin"; default "/". */
    public ClientOptions namespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        if (!namespace.startsWith("/")) {
            throw new IllegalArgumentException("a namespace starts with '/', got \"" + namespace + "\"");
        }
        this.namespace = namespace;
        return this;
    }

    /** The server path of the endpoint; default "/socket.io/". */
    public ClientOptions path(String path) {
        this.path = Objects.requireNonNull(path, "path");
        return this;
    }

    /** The auth object sent with CONNECT (read by the server in {@code socket.handshake().auth()}). */
    public ClientOptions auth(Map<String, ?> auth) {
        Objects.requireNonNull(auth, "auth");
        this.auth = () -> auth;
        return this;
    }

    /**
     * Computes the auth object anew for each connection attempt, e.g. {@code () -> Map.of("lastSeen", lastId)}
     * so that the server can send what was missed while disconnected.
     */
    public ClientOptions auth(Supplier<? extends Map<String, ?>> auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
        return this;
    }

    /** The SSLContext for {@code https://}/{@code wss://} URLs, e.g. one that trusts a self-signed certificate. */
    public ClientOptions sslContext(SSLContext context) {
        this.sslContext = Objects.requireNonNull(context, "context");
        return this;
    }

    /** Turns automatic reconnection on or off (default on). */
    public ClientOptions reconnection(boolean enabled) {
        this.reconnection = enabled;
        return this;
    }

    /** The first reconnection delay (doubled after each failed attempt); default 1 s. */
    public ClientOptions reconnectionDelay(Duration delay) {
        this.reconnectionDelay = Objects.requireNonNull(delay, "delay");
        return this;
    }

    /** The largest reconnection delay; default 5 s. */
    public ClientOptions reconnectionDelayMax(Duration max) {
        this.reconnectionDelayMax = Objects.requireNonNull(max, "max");
        return this;
    }

    /** How much each delay is randomised, 0 (not at all) to 1; default 0.5 (±50 %). */
    public ClientOptions randomizationFactor(double factor) {
        if (factor < 0 || factor > 1) {
            throw new IllegalArgumentException("randomizationFactor must be between 0 and 1, was " + factor);
        }
        this.randomizationFactor = factor;
        return this;
    }

    /** How many reconnection attempts before giving up; default unlimited. */
    public ClientOptions reconnectionAttempts(int attempts) {
        if (attempts < 0) {
            throw new IllegalArgumentException("reconnectionAttempts must be >= 0, was " + attempts);
        }
        this.reconnectionAttempts = attempts;
        return this;
    }

    /** How long one connection attempt may take (TCP + handshake + CONNECT) before it counts as failed; default 20 s. */
    public ClientOptions connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * Whether to answer the server's heartbeat pings (default true). False simulates a frozen client, for demos
     * and tests of dead-peer detection: the server then closes the connection with "ping timeout".
     */
    public ClientOptions answerPings(boolean answer) {
        this.answerPings = answer;
        return this;
    }
}
