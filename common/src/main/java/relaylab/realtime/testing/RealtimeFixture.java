package relaylab.realtime.testing;

import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.client.ClientOptions;
import relaylab.realtime.client.RealtimeClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A realtime server on a free port of 127.0.0.1 plus the test clients connected to it, all stopped by
 * {@link #close()}: use it in try-with-resources. Clients reconnect fast (50 ms .. 500 ms) so tests stay short.
 * <pre>{@code
 * try (RealtimeFixture fx = RealtimeFixture.start(server -> server.register(new Chat()))) {
 *     TestClient a = fx.client(), b = fx.client();
 *     a.emit("chat", "hi");
 *     b.await("chat", args -> args.get(0).equals("hi"), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class RealtimeFixture implements AutoCloseable {
    /**
     * How long a test waits for something that should happen at once: 5 s, ample on a loaded machine. The
     * deadline of the waits without a timeout argument; lesson tests use it for their page waits too
     * ({@code import static relaylab.realtime.testing.RealtimeFixture.WAIT}).
     */
    public static final Duration WAIT = Duration.ofSeconds(5);

    private final RealtimeServer server;
    private final List<TestClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong markers = new AtomicLong();

    private RealtimeFixture(RealtimeServer server) {
        this.server = server;
    }

    /** Starts a server with default settings; {@code setup} adds the handlers (e.g. {@code s -> s.register(obj)}). */
    public static RealtimeFixture start(Consumer<RealtimeServer> setup) {
        return start(cfg -> { }, setup);
    }

    /**
     * Starts a server configured by {@code configure} (e.g. short ping intervals) with the handlers of {@code setup}.
     * The server answers the fixture's sync event (see {@link #sync()}) before any handler sees it, and the
     * libraries' start-up logging is quietened ({@link Logs#quietLibraries()}) so that test output shows the lesson's own.
     */
    public static RealtimeFixture start(Consumer<RealtimeConfig> configure, Consumer<RealtimeServer> setup) {
        Logs.quietLibraries();
        RealtimeServer server = RealtimeServer.create(configure);
        server.intercept(TestClient.SYNC_ANSWER);
        try {
            if (setup != null) {
                setup.accept(server);
            }
            server.start(0);
        } catch (RuntimeException | Error e) {
            server.stop();
            throw e;
        }
        return new RealtimeFixture(server);
    }

    /** The running server (to emit from the server side, or check {@code connectionCount()}). */
    public RealtimeServer server() {
        return server;
    }

    /** The server's port. */
    public int port() {
        return server.port();
    }

    /** The server's base URL, e.g. "http://127.0.0.1:41234". */
    public String url() {
        return server.url();
    }

    /**
     * The server's socket of {@code client} (on the client's namespace), to call a lesson's server-side method with
     * it; AssertionError when the server has none (the client is not connected).
     */
    public RealtimeSocket socketOf(TestClient client) {
        String id = client.id();
        RealtimeSocket socket = id == null ? null : server.of(client.client().namespace()).socket(id);
        if (socket == null) {
            throw new AssertionError("the server has no socket for " + client + " (connected: " + client.connected() + ")");
        }
        return socket;
    }

    /** Opens a client on the default namespace and waits until it is connected (AssertionError after 5 s). */
    public TestClient client() {
        return client(o -> { });
    }

    /** Opens a client with an auth object and waits until it is connected. */
    public TestClient client(Map<String, ?> auth) {
        return client(o -> o.auth(auth));
    }

    /** Opens a client with options (namespace, auth...) and waits until it is connected. */
    public TestClient client(Consumer<ClientOptions> options) {
        return connecting(options).awaitConnected(WAIT);
    }

    /** Opens a client without waiting: for connection attempts that should fail (await its connect_error). */
    public TestClient connecting(Consumer<ClientOptions> options) {
        RealtimeClient client = RealtimeClient.connect(url(), o -> {
            o.reconnectionDelay(Duration.ofMillis(50)).reconnectionDelayMax(Duration.ofMillis(500));
            options.accept(o);
        });
        TestClient test = new TestClient("client " + (clients.size() + 1), client);
        clients.add(test);
        return test;
    }

    /** Opens {@code count} clients on the default namespace, all connected. */
    public List<TestClient> clients(int count) {
        List<TestClient> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            result.add(connecting(o -> { }));
        }
        for (TestClient c : result) {
            c.awaitConnected(WAIT);
        }
        return result;
    }

    /**
     * Makes "did NOT receive" checks honest: first waits until the server has handled every event the
     * connected clients sent so far, then sends each of them a marker and waits for it. Since a connection
     * delivers in order, anything the server sent them before has arrived once this returns.
     */
    public void sync() {
        List<TestClient> connected = new ArrayList<>();
        for (TestClient c : clients) {
            if (c.connected()) {
                connected.add(c);
            }
        }
        for (TestClient c : connected) {
            c.syncInbound(WAIT);
        }
        for (TestClient c : connected) {
            long marker = markers.incrementAndGet();
            String id = c.id();
            if (id == null) {
                continue;
            }
            server.of(c.client().namespace()).to(id).emit(TestClient.MARKER, marker);
            c.awaitMarker(marker, WAIT);
        }
    }

    /** Disconnects every client, then stops the server and frees its port. */
    @Override
    public void close() {
        try {
            for (TestClient c : clients) {
                c.close();
            }
        } finally {
            server.stop();
        }
    }
}
