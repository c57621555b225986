package relaylab.realtime;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link RealtimeConfig#maxConnections}: counts the TCP connections that have sent a request (a WebSocket stays
 * counted until it closes) and answers a new one beyond the limit with 503 and a close, logged at most once a
 * second. XNIO's high-water mark ({@link #HEADROOM} above the limit) bounds the rest: connections that have not
 * finished a request yet, which {@code headersTimeout} and {@code idleTimeout} clear.
 */
final class ConnectionCap implements HttpHandler {
    private static final System.Logger LOG = CoreLog.LOG;
    /** Connections XNIO accepts beyond the limit, so that the refusals can be answered. */
    static final int HEADROOM = 64;

    private final int max;
    private final HttpHandler next;
    private final Set<ServerConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - 2_000_000_000L);
    private final AtomicInteger unlogged = new AtomicInteger();

    ConnectionCap(int max, HttpHandler next) {
        this.max = max;
        this.next = next;
    }

    /** The default limit: the process's file-descriptor limit minus 256 (at least 64), or 0 (none) when unknown. */
    static int defaultMax() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long fds = unix.getMaxFileDescriptorCount();
            return (int) Math.max(64, Math.min(Integer.MAX_VALUE, fds - 256));
        }
        return 0;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ServerConnection connection = exchange.getConnection();
        if (!open.contains(connection)) {
            if (open.size() >= max) {
                refuse(exchange);
                return;
            }
            if (open.add(connection)) {
                connection.addCloseListener(open::remove);
            }
        }
        next.handleRequest(exchange);
    }

    private void refuse(HttpServerExchange exchange) {
        int others = unlogged.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= 1_000_000_000L && lastLog.compareAndSet(last, now)) {
            unlogged.addAndGet(-others);
            LOG.log(System.Logger.Level.WARNING, "maxConnections " + max + " reached: refused a connection from "
                    + exchange.getSourceAddress() + " with HTTP 503" + (others > 1 ? " (" + (others - 1)
                    + " more refused since the last such line)" : "") + "; raise cfg.maxConnections(n) or ulimit -n if"
                    + " these are real clients");
        }
        exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
        exchange.getResponseSender().send("too many connections; try again later");
    }
}
