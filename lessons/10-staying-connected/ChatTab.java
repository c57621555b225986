import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import relaylab.realtime.client.RealtimeClient;
import relaylab.realtime.RealtimeJson;

/**
 * One chat user in Java, doing what the page does, for the demo bots and the tests. It runs its own
 * reconnection loop (each connection is a fresh RealtimeClient with reconnection off): Heartbeat says when
 * a connection is dead, Backoff says when to try again, the auth carries the last offset seen, and the
 * screen shows every message once. What the server has not acknowledged is sent again after a drop.
 */
final class ChatTab implements AutoCloseable {
    /** Heartbeat as the server is configured, and the backoff (base, max, factor) with its random numbers. */
    record Options(Duration pingInterval, Duration pingTimeout, long baseMillis, long maxMillis, double factor, Random random) {
        static Options lesson() {
            return new Options(StayingConnected.PING_INTERVAL, StayingConnected.PING_TIMEOUT, Backoff.BASE.toMillis(),
                    Backoff.MAX.toMillis(), Backoff.FACTOR, new Random());
        }
    }

    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chat-tab-timers");
        t.setDaemon(true);
        return t;
    });
    private static final Duration ACK_WAIT = Duration.ofSeconds(2);

    final String name;
    private final String url;
    private final Options options;
    private final Consumer<String> log;
    // all below guarded by this
    final Screen screen = new Screen();
    private final Map<String, Map<String, String>> unacked = new LinkedHashMap<>();   // id -> {id, text}
    private RealtimeClient client;
    private Heartbeat heartbeat;
    private int attempt;
    private int sent;
    private boolean closed;
    private RuntimeException problem;

    /** Opens a tab for {@code name} on {@code url} (the proxy's address in the demo); {@code log} hears what happens. */
    ChatTab(String name, String url, Options options, Consumer<String> log) {
        this.name = name;
        this.url = url;
        this.options = options;
        this.log = log;
        connect();
    }

    /** Says something: sent now when connected, else as soon as the tab is back; sent again until acknowledged. */
    void say(String text) {
        Map<String, String> message = Map.of("id", UUID.randomUUID().toString(), "text", text);
        RealtimeClient current;
        synchronized (this) {
            unacked.put(message.get("id"), message);
            current = client != null && client.connected() ? client : null;
        }
        if (current != null) {
            send(current, message);
        }
    }

    private void send(RealtimeClient via, Map<String, String> message) {
        via.emitWithAck("say", ACK_WAIT, message).whenComplete((reply, error) -> {
            Object answer = error == null && !reply.isEmpty() ? reply.get(0) : null;
            boolean ok = answer instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("ok"));
            synchronized (this) {
                if (error == null) {
                    if (unacked.remove(message.get("id")) == null) {
                        return;   // acknowledged twice (sent again after a drop): counted once
                    }
                    if (ok) {
                        sent++;
                        return;
                    }
                } else if (via != client || !via.connected()) {
                    return;   // the connection is gone: the next one sends it again
                }
            }
            if (error == null) {
                log.accept(name + ": the server refused \"" + message.get("text") + "\": " + answer);
            } else {
                send(via, message);   // no answer in time on a live connection: try again
            }
        });
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("name", name);
        Long lastOffset = screen.lastOffset();
        if (lastOffset != null) {
            auth.put("offset", lastOffset);   // "where I was": the server sends what came after it
        }
        RealtimeClient c = RealtimeClient.connect(url, o -> o.auth(auth).reconnection(false));
        Heartbeat h = new Heartbeat(options.pingInterval(), options.pingTimeout(), TIMERS, () -> dead(c));
        client = c;
        heartbeat = h;
        c.onPing(h::pinged);
        c.on("catchup", args -> caughtUp(args.get(0)));
        c.on("message", args -> guarded(() -> screen.show(RealtimeJson.convert(args.get(0), Message.class))));
        c.onConnect(() -> connected(c, h));
        c.onDisconnect(reason -> lost(c, "disconnected (" + reason + ")"));
        c.onConnectError(error -> lost(c, "cannot connect (" + error + ")"));
    }

    private void connected(RealtimeClient c, Heartbeat h) {
        List<Map<String, String>> resend;
        synchronized (this) {
            if (c != client) {
                return;
            }
            attempt = 0;
            resend = List.copyOf(unacked.values());
        }
        h.pinged();   // the countdown starts with the connection
        resend.forEach(message -> send(c, message));
    }

    private void caughtUp(Object catchup) {
        guarded(() -> {
            Catchup c = RealtimeJson.convert(catchup, Catchup.class);
            long recovered = c.messages().stream().filter(screen::show).count();
            log.accept(name + ": " + (c.resumed() ? "back, " + recovered + " missed message" + (recovered == 1 ? "" : "s") + " recovered"
                    : "got the recent history, " + recovered + " messages new to this tab"));
            return true;
        });
    }

    private void dead(RealtimeClient c) {
        log.accept(name + ": no ping for " + Heartbeat.deadAfter(options.pingInterval(), options.pingTimeout()).toMillis()
                + " ms: the connection is dead");
        c.disconnect();
        lost(c, "gave up on a silent connection");
    }

    /** A connection ended or failed: schedule the next attempt, once per connection. */
    private void lost(RealtimeClient c, String why) {
        long delay;
        int number;
        synchronized (this) {
            if (c != client || closed) {
                return;
            }
            client = null;
            heartbeat.stop();
            number = ++attempt;
            delay = Backoff.delayMillis(number - 1, options.random().nextDouble(), options.baseMillis(), options.maxMillis(),
                    options.factor());
        }
        c.disconnect();
        log.accept(name + ": " + why + "; reconnecting in " + delay + " ms (attempt " + number + ")");
        TIMERS.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Runs a listener's work; an unfinished TODO is kept for problem() instead of vanishing in a log. */
    private void guarded(BooleanSupplier work) {
        try {
            work.getAsBoolean();
        } catch (RuntimeException e) {
            synchronized (this) {
                if (problem == null) {
                    problem = e;
                }
            }
            throw e;
        }
    }

    synchronized boolean connected() {
        return client != null && client.connected();
    }

    /** Messages this tab said that the server acknowledged. */
    synchronized int sent() {
        return sent;
    }

    /** Messages said but not acknowledged yet (waiting for the connection, or for an answer). */
    synchronized int pending() {
        return unacked.size();
    }

    /** The first error a listener ran into (e.g. an unfinished TODO), or null. */
    synchronized RuntimeException problem() {
        return problem;
    }

    /** The running count: sent, received, lost, duplicated. */
    String count() {
        return "sent " + sent() + ", " + screen.count();
    }

    @Override
    public void close() {
        RealtimeClient c;
        synchronized (this) {
            closed = true;
            c = client;
            client = null;
            if (heartbeat != null) {
                heartbeat.stop();
            }
        }
        if (c != null) {
            c.disconnect();
        }
    }
}
