package relaylab.realtime;

import io.undertow.Undertow;

import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Undertow's accept, taken over so that a client the server cannot take is told so at once instead of waiting in the
 * system's accept queue: {@link RealtimeConfig#maxConnections} is counted at accept time over every TCP connection
 * (silent ones too), and a connection beyond it gets HTTP 503 and is closed (a TLS connection is closed). When the
 * process is out of file descriptors all the same (files the application keeps open, or a maxConnections above what
 * {@code ulimit -n} allows), {@link FileLimit}'s spare descriptor lets it accept a waiting connection to refuse it the
 * same way, until descriptors are free again. Each kind of refusal is logged, rate-limited. Existing connections are
 * served throughout.
 */
final class ConnectionCap implements ChannelListener<AcceptingChannel<StreamConnection>> {
    private static final System.Logger LOG = CoreLog.LOG;
    /** Descriptors the default limit keeps for the server's own files (JDK, jars, selectors, pipes, logs). */
    static final int RESERVED_FILES = 256;
    private static final byte[] REFUSAL = refusal("too many connections; try again later\n");

    private final int max;
    private final boolean derived;
    private final FileLimit files;
    private final ChannelListener<StreamConnection> next;
    private final boolean tls;
    /** Connections counted against max; only the accept thread touches it. */
    private final Set<StreamConnection> open = new HashSet<>();
    private long lastPrune = System.nanoTime();
    private int pruneAt = 64;
    private final AtomicLong lastCapLine = new AtomicLong(System.nanoTime() - 2_000_000_000L);
    private final AtomicInteger capUnlogged = new AtomicInteger();
    private long lastFilesLine = System.nanoTime() - 120_000_000_000L;   // guarded by this
    private int filesRefused;                                             // guarded by this
    private boolean filesAnnounced;                                       // guarded by this

    private ConnectionCap(int max, boolean derived, FileLimit files, ChannelListener<StreamConnection> next, boolean tls) {
        this.tls = tls;
        this.max = max;
        this.derived = derived;
        this.files = files;
        this.next = next;
    }

    /** The default limit: the process's file-descriptor limit minus {@value #RESERVED_FILES} (at least 64), or 0 (none) when unknown. */
    static int defaultMax() {
        long fds = FileLimit.softLimit();
        return fds <= 0 ? 0 : (int) Math.max(64, Math.min(Integer.MAX_VALUE, fds - RESERVED_FILES));
    }

    /**
     * Takes over the accept of every listener of a started Undertow (0 = no cap, only the refusal when out of
     * descriptors); {@code derived}: the limit is {@link #defaultMax()}, which the log lines then explain. Returns
     * what to close when the server stops (the spare descriptor).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static AutoCloseable install(Undertow undertow, int max, boolean derived) {
        FileLimit files = new FileLimit();
        for (Undertow.ListenerInfo info : undertow.getListenerInfo()) {
            // Undertow keeps the accepting channel and its open listener (what turns a connection into HTTP) private
            AcceptingChannel channel = (AcceptingChannel) FileLimit.field(info, "channel");
            ConnectionCap cap = new ConnectionCap(max, derived, files, (ChannelListener) FileLimit.field(info, "openListener"),
                    "https".equals(info.getProtcol()));
            channel.getAcceptSetter().set(cap);
            files.takeOverAccept(channel, cap::admit);
        }
        return files;
    }

    /** On the accept thread, in accept order (see {@link FileLimit}): counts the connection, or refuses it. */
    private boolean admit(StreamConnection connection, boolean outOfFiles) {
        if (outOfFiles) {
            refuse(connection, !tls);
            logExhausted(connection);
            return false;
        }
        logRecovered();
        if (max == 0) {
            return true;
        }
        if (open.size() >= max || open.size() >= pruneAt) {
            prune();
        }
        if (open.size() >= max) {
            refuse(connection, !tls);
            logCap(connection);
            return false;
        }
        open.add(connection);
        return true;
    }

    /** On the connection's I/O thread: takes it from the queue (TLS: wrapped) and lets Undertow serve it. */
    @Override
    public void handleEvent(AcceptingChannel<StreamConnection> channel) {
        try {
            StreamConnection connection = channel.accept();
            if (connection != null) {
                next.handleEvent(connection);
            }
        } catch (IOException e) {
            if (channel.isOpen()) {
                LOG.log(System.Logger.Level.WARNING, "accepting a connection failed: " + e);
            }
        }
    }

    /**
     * Forgets the connections that closed: when the limit is reached, and whenever the set has doubled since the last
     * time (so it never holds many closed ones). Above 10,000 connections at the limit at most every 100 ms, as it
     * walks them all.
     */
    private void prune() {
        long now = System.nanoTime();
        if (open.size() < max || open.size() <= 10_000 || now - lastPrune >= 100_000_000L) {
            lastPrune = now;
            open.removeIf(connection -> !connection.isOpen());
            pruneAt = Math.max(64, 2 * open.size());
        }
    }

    /** After a connection was queued normally: says once that descriptors are free again, if they were not. */
    private synchronized void logRecovered() {
        if (filesAnnounced) {
            filesAnnounced = false;
            LOG.log(System.Logger.Level.INFO, "open-file limit " + files.limit() + ": descriptors are free again,"
                    + " accepting connections (" + filesRefused + " refused while there were none)");
            filesRefused = 0;
        }
    }

    private synchronized void logExhausted(StreamConnection connection) {
        filesRefused++;
        long now = System.nanoTime();
        if (!filesAnnounced || now - lastFilesLine >= 60_000_000_000L) {
            filesAnnounced = true;
            lastFilesLine = now;
            LOG.log(System.Logger.Level.WARNING, "open-file limit " + files.limit() + " reached: raise `ulimit -n` or"
                    + " lower RealtimeConfig.maxConnections (now " + (max == 0 ? "0, no limit" : max) + "), or close"
                    + " files the application keeps open. Refused a connection from " + connection.getPeerAddress()
                    + (filesRefused > 1 ? " (" + filesRefused + " refused so far)" : "") + " and will refuse new ones at"
                    + " once until descriptors are free again; open connections are served as before");
        }
    }

    private void logCap(StreamConnection connection) {
        int others = capUnlogged.incrementAndGet();
        long now = System.nanoTime();
        long last = lastCapLine.get();
        if (now - last >= 1_000_000_000L && lastCapLine.compareAndSet(last, now)) {
            capUnlogged.addAndGet(-others);
            String why = derived ? " (the default: open-file limit " + files.limit() + " minus " + RESERVED_FILES
                    + " kept for the server's own files)" : "";
            LOG.log(System.Logger.Level.WARNING, "maxConnections " + max + " reached" + why + ": refused a connection"
                    + " from " + connection.getPeerAddress() + (tls ? " by closing it"
                    : " with HTTP 503") + (others > 1 ? " (" + (others - 1) + " more refused since the last such line)"
                    : "") + "; if these are real clients, raise " + (derived ? "`ulimit -n` or " : "")
                    + "RealtimeConfig.maxConnections(n)");
        }
    }

    /** Answers 503 (unless {@code words} is false: TLS has none before its handshake) and closes. */
    private static void refuse(StreamConnection connection, boolean words) {
        try {
            if (words) {
                // what the client sent already is read, so that closing sends FIN and not a reset that hides the 503
                connection.getSourceChannel().read(ByteBuffer.allocate(16 * 1024));
                connection.getSinkChannel().write(ByteBuffer.wrap(REFUSAL));
                connection.getSinkChannel().shutdownWrites();
                connection.getSinkChannel().flush();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "the refused client left before its 503: " + e);
        } finally {
            IoUtils.safeClose(connection);
        }
    }

    private static byte[] refusal(String body) {
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: "
                + text.length + "\r\nConnection: close\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.UTF_8);
    }
}
