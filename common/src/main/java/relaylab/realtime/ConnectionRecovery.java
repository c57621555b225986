package relaylab.realtime;

import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.PacketCodec;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Connection state recovery, with the rules of socket.io 4.6+ (its in-memory session-aware adapter):
 * a socket that lost its connection for a recoverable reason (transport close or error, ping timeout,
 * server shutting down) leaves a session behind (id, rooms, data) under its private id {@code pid};
 * every event the server emits without an ack and not volatile is kept with an offset, which the client
 * receives as the event's last argument; a client that comes back within {@code maxDisconnection} with
 * {@code {pid, offset}} in its CONNECT gets its id, rooms and data back plus the kept events it missed.
 * Anything else (no pid, an unknown or expired pid, an offset that is not among the kept events) gets a
 * fresh session. An explicit disconnect, from either side, leaves nothing behind.
 *
 * <p>One instance per server, created only when {@link RealtimeConfig#connectionStateRecovery} is set.
 * Events are kept per namespace for {@code maxDisconnection}, sessions as long; both are purged as new
 * ones arrive, so no timer runs. Offsets are {@code <server prefix>-<sequence>}: an offset from another
 * server run, forged, or from the future is simply not found.
 */
final class ConnectionRecovery {
    /** The disconnect reasons after which a session is kept (socket.io's list). */
    static final Set<String> RECOVERABLE_REASONS = Set.of("transport error", "transport close", "forced close",
            "ping timeout", "server shutting down", "forced server close");
    private static final SecureRandom RANDOM = new SecureRandom();

    final long maxDisconnectionMillis;
    final boolean skipMiddlewares;
    private final LongSupplier clock;
    private final String prefix = randomId(6);
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, EventLog> logs = new ConcurrentHashMap<>();

    /** What a socket leaves behind when its connection drops. */
    record Session(String namespace, String sid, String pid, Set<String> rooms, Map<String, Object> data, long disconnectedAt) {
    }

    /**
     * The answer to a CONNECT that asked to recover: the session and the last kept event its client saw, or why
     * not ({@code refusal}; the socket then gets a fresh session).
     */
    record Resumption(Session session, long afterSequence, String refusal) {
        static Resumption refused(String why) {
            return new Resumption(null, -1, why);
        }
    }

    /** One kept event: its encoded packet (offset included) and the targets it had. */
    private record Kept(long sequence, Outbound packet, Set<String> rooms, Set<String> except, long at) {
    }

    ConnectionRecovery(long maxDisconnectionMillis, boolean skipMiddlewares, LongSupplier clock) {
        this.maxDisconnectionMillis = maxDisconnectionMillis;
        this.skipMiddlewares = skipMiddlewares;
        this.clock = clock;
    }

    /** A new private session id, sent to the client in the CONNECT answer and never shown to other clients. */
    static String newPid() {
        return randomId(15);
    }

    /**
     * The lock that makes "keep this event and deliver it" one step against "catch a returning socket up and
     * let it receive live events": hold it around both, so no event is missed or delivered twice in between.
     */
    Object lock(String namespace) {
        return log(namespace);
    }

    /**
     * Keeps an event sent to {@code rooms} (empty: everyone) except {@code except}, and returns its encoding with
     * the offset appended as the last argument. Call it holding {@link #lock}, then deliver what it returns.
     */
    Outbound keep(String namespace, String event, Object[] args, Collection<String> rooms, Collection<String> except) {
        EventLog log = log(namespace);
        long now = clock.getAsLong();
        log.purge(now - maxDisconnectionMillis);
        long sequence = ++log.lastSequence;
        Object[] withOffset = new Object[args.length + 1];
        System.arraycopy(args, 0, withOffset, 0, args.length);
        withOffset[args.length] = prefix + "-" + sequence;
        Outbound packet = PacketCodec.encodeEvent(namespace, event, -1, withOffset);
        log.kept.addLast(new Kept(sequence, packet, Set.copyOf(rooms), Set.copyOf(except), now));
        return packet;
    }

    /** Leaves a session behind for a socket whose connection dropped with {@code reason}, if that reason is recoverable. */
    void disconnected(String namespace, String sid, String pid, String reason, Set<String> rooms, Map<String, Object> data) {
        if (pid == null || !RECOVERABLE_REASONS.contains(reason)) {
            return;
        }
        long now = clock.getAsLong();
        sessions.values().removeIf(s -> s.disconnectedAt() + maxDisconnectionMillis < now);
        sessions.put(pid, new Session(namespace, sid, pid, Set.copyOf(rooms), data, now));
    }

    /**
     * The session to resume for a CONNECT whose auth holds {@code pid} and {@code offset} (socket.io's client sends
     * both once it has received an event with an offset); null when the CONNECT did not ask to recover (no string
     * pid or offset). A session is taken once: a second client with the same pid gets a fresh one.
     */
    Resumption resume(String namespace, Object pid, Object offset) {
        if (!(pid instanceof String p) || !(offset instanceof String o)) {
            return null;
        }
        Session session = sessions.remove(p);
        if (session == null) {
            return Resumption.refused("no session " + abbreviate(p) + " (expired, already resumed, or never issued)");
        }
        if (session.disconnectedAt() + maxDisconnectionMillis < clock.getAsLong()) {
            return Resumption.refused("session " + abbreviate(p) + " expired (disconnected more than "
                    + maxDisconnectionMillis + " ms ago)");
        }
        if (!session.namespace().equals(namespace)) {
            return Resumption.refused("session " + abbreviate(p) + " belongs to namespace " + session.namespace());
        }
        long sequence = sequenceOf(o);
        EventLog log = log(namespace);
        synchronized (log) {
            log.purge(clock.getAsLong() - maxDisconnectionMillis);
            long first = log.kept.isEmpty() ? log.lastSequence + 1 : log.kept.peekFirst().sequence();
            if (sequence < first || sequence > log.lastSequence) {
                return Resumption.refused("offset " + abbreviate(o) + " is not among the kept events (too old, from the"
                        + " future, or not this server's)");
            }
        }
        return new Resumption(session, sequence, null);
    }

    /**
     * The kept events after {@code afterSequence} that a socket in {@code rooms} would have received, in order.
     * Call it holding {@link #lock}, after the socket rejoined its rooms, and send them before releasing it.
     */
    List<Outbound> missed(String namespace, long afterSequence, Set<String> rooms) {
        List<Outbound> missed = new ArrayList<>();
        for (Kept k : log(namespace).kept) {
            if (k.sequence() > afterSequence && (k.rooms().isEmpty() || k.rooms().stream().anyMatch(rooms::contains))
                    && k.except().stream().noneMatch(rooms::contains)) {
                missed.add(k.packet());
            }
        }
        return missed;
    }

    /** Sessions waiting to be resumed (for tests and checks). */
    int sessionCount() {
        return sessions.size();
    }

    private EventLog log(String namespace) {
        return logs.computeIfAbsent(namespace, n -> new EventLog());
    }

    private long sequenceOf(String offset) {
        if (offset == null || !offset.startsWith(prefix + "-")) {
            return -1;
        }
        try {
            return Long.parseLong(offset.substring(prefix.length() + 1));
        } catch (NumberFormatException e) {
            return -1;   // forged: treated like any offset that is not kept
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "null" : text.length() <= 24 ? "\"" + text + "\"" : "\"" + text.substring(0, 24) + "...\"";
    }

    private static String randomId(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The kept events of one namespace, oldest first; guarded by itself. */
    private static final class EventLog {
        final Deque<Kept> kept = new ArrayDeque<>();
        long lastSequence;

        void purge(long olderThan) {
            while (!kept.isEmpty() && kept.peekFirst().at() < olderThan) {
                kept.removeFirst();
            }
        }
    }
}
