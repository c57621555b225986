import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bad network you can hold in your hand: a TCP proxy between the chat's clients and its server that
 * drops every connection on demand ({@link #drop()}), stays down until told otherwise ({@link #cut()},
 * {@link #restore()}), or freezes every byte in both directions without closing anything
 * ({@link #freeze(Duration)}), the way a train entering a tunnel does. Nothing to write here: the lesson's
 * code must survive it. One thread per direction of each connection, which is plenty for a few tabs.
 */
final class FlakyProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger dropped = new AtomicInteger();
    private final Object gate = new Object();
    private long frozenUntil;   // System.nanoTime() when a freeze ends; guarded by gate
    private volatile boolean down;
    private volatile boolean closed;

    private FlakyProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Listens on 127.0.0.1:{@code port} (0 picks a free port) and forwards every connection to {@code targetPort}. */
    static FlakyProxy start(int port, int targetPort) throws IOException {
        ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        FlakyProxy proxy = new FlakyProxy(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        daemon("flaky-proxy-accept", proxy::acceptLoop).start();
        return proxy;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Closes every connection open now; new ones get through at once. Returns how many were dropped. */
    int drop() {
        int count = 0;
        for (Link link : List.copyOf(links)) {
            link.close();
            count++;
        }
        dropped.addAndGet(count);
        return count;
    }

    /** Pulls the cable: drops every connection and refuses new ones until {@link #restore()}. */
    int cut() {
        down = true;
        return drop();
    }

    /** Plugs the cable back in: new connections get through again. */
    void restore() {
        down = false;
    }

    /** Stops every byte, both ways, for {@code duration}; nothing is closed, so only a heartbeat can tell. */
    void freeze(Duration duration) {
        synchronized (gate) {
            frozenUntil = System.nanoTime() + duration.toNanos();
        }
    }

    /** Connections dropped so far (by drop and cut). */
    int dropped() {
        return dropped.get();
    }

    /** Connections open now. */
    int open() {
        return links.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            System.err.println("flaky proxy: closing the listener failed: " + e.getMessage());
        }
        drop();
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("flaky proxy: accept failed: " + e.getMessage());
                }
                return;
            }
            if (down) {
                quietClose(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(target, 5_000);
                Link link = new Link(client, server);
                links.add(link);
                daemon("flaky-proxy-up", () -> link.pump(client, server)).start();
                daemon("flaky-proxy-down", () -> link.pump(server, client)).start();
            } catch (IOException e) {
                System.err.println("flaky proxy: cannot reach the server at " + target + ": " + e.getMessage());
                quietClose(client);
            }
        }
    }

    /** Waits while the network is frozen; false when the link was closed meanwhile. */
    private boolean awaitThaw(Link link) throws InterruptedException {
        synchronized (gate) {
            long left;
            while (!link.closed && !closed && (left = frozenUntil - System.nanoTime()) > 0) {
                gate.wait(Math.max(1, left / 1_000_000));
            }
        }
        return !link.closed;
    }

    /** One proxied connection: the client's socket and the proxy's socket to the server. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean closed;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!awaitThaw(this)) {
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                if (!closed) {   // when drop() or the other direction closed the link, this is its normal end
                    System.err.println("flaky proxy: a connection ended: " + e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        void close() {
            closed = true;
            links.remove(this);
            quietClose(client);
            quietClose(server);
            synchronized (gate) {
                gate.notifyAll();
            }
        }
    }

    private static void quietClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            System.err.println("flaky proxy: closing a socket failed: " + e.getMessage());
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
