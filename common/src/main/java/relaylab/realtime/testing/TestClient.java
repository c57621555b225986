package relaylab.realtime.testing;

import relaylab.realtime.EventInterceptor;
import relaylab.realtime.client.RealtimeClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A {@link RealtimeClient} that records everything it receives, for tests. Await events with a deadline
 * (never sleep), then assert on {@link #received(String)}. Failure messages list what did arrive.
 */
public final class TestClient implements AutoCloseable {
    static final String MARKER = "relaylab:marker";
    /**
     * The event a test client sends to learn that the server handled everything it sent before: a fixture's server
     * acknowledges it itself ({@link #SYNC_ANSWER}), in order after the client's earlier events, and no handler sees it.
     */
    public static final String SYNC_EVENT = "relaylab:sync";
    /** Installed on a fixture's server: answers {@link #SYNC_EVENT} and keeps it from the handlers. */
    static final EventInterceptor SYNC_ANSWER = (socket, event, args, ack) -> {
        if (!SYNC_EVENT.equals(event)) {
            return false;
        }
        ack.send();
        return true;
    };

    private final String label;
    private final RealtimeClient client;
    private final List<ReceivedEvent> events = new ArrayList<>();
    private final List<Long> markers = new ArrayList<>();
    private final List<String> disconnects = new ArrayList<>();
    private final List<String> connectErrors = new ArrayList<>();
    private int connects;

    TestClient(String label, RealtimeClient client) {
        this.label = label;
        this.client = client;
        client.onAny((name, args) -> {
            synchronized (this) {
                if (MARKER.equals(name)) {
                    markers.add(((Number) args.get(0)).longValue());
                } else {
                    events.add(new ReceivedEvent(name, List.copyOf(nullSafe(args)), Instant.now()));
                }
                notifyAll();
            }
        });
        client.onConnect(() -> {
            synchronized (this) {
                connects++;
                notifyAll();
            }
        });
        client.onDisconnect(reason -> {
            synchronized (this) {
                disconnects.add(reason);
                notifyAll();
            }
        });
        client.onConnectError(message -> {
            synchronized (this) {
                connectErrors.add(message);
                notifyAll();
            }
        });
    }

    private static List<Object> nullSafe(List<Object> args) {
        // List.copyOf refuses nulls; JSON null arguments are legal
        return Collections.unmodifiableList(new ArrayList<>(args));
    }

    /** The underlying client, for anything this wrapper does not offer. */
    public RealtimeClient client() {
        return client;
    }

    /** The socket id the server gave this client (null while disconnected). */
    public String id() {
        return client.id();
    }

    /** True while connected. */
    public boolean connected() {
        return client.connected();
    }

    /** Sends an event to the server (buffered while disconnected). */
    public TestClient emit(String event, Object... args) {
        client.emit(event, args);
        return this;
    }

    /** Sends an event and returns the future of the server's ack (see {@link RealtimeClient#emitWithAck}). */
    public CompletableFuture<List<Object>> emitWithAck(String event, Duration timeout, Object... args) {
        return client.emitWithAck(event, timeout, args);
    }

    /**
     * Sends an event, waits up to 5 s for the server's ack and returns its arguments; throws AssertionError
     * when no ack comes.
     */
    public List<Object> ack(String event, Object... args) {
        try {
            return client.emitWithAck(event, RealtimeFixture.WAIT, args).get(
                    RealtimeFixture.WAIT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(label + " sent '" + event + "' but got no acknowledgement: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(label + " sent '" + event + "' but got no acknowledgement", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits up to {@link RealtimeFixture#WAIT} (5 s) for the first received event with this name; returns its arguments. */
    public List<Object> await(String event) {
        return await(event, args -> true, RealtimeFixture.WAIT);
    }

    /** Like {@link #await(String, Predicate, Duration)} with the default deadline, {@link RealtimeFixture#WAIT}. */
    public List<Object> await(String event, Predicate<List<Object>> predicate) {
        return await(event, predicate, RealtimeFixture.WAIT);
    }

    /** Like {@link #awaitCount(String, int, Duration)} with the default deadline, {@link RealtimeFixture#WAIT}. */
    public List<List<Object>> awaitCount(String event, int count) {
        return awaitCount(event, count, RealtimeFixture.WAIT);
    }

    /** Waits for the first received event with this name; returns its arguments. AssertionError after the timeout. */
    public List<Object> await(String event, Duration timeout) {
        return await(event, args -> true, timeout);
    }

    /**
     * Waits until an event with this name whose arguments match {@code predicate} has been received (earlier
     * ones count too) and returns its arguments. Throws AssertionError after {@code timeout}, listing what was received.
     */
    public List<Object> await(String event, Predicate<List<Object>> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            int checked = 0;
            while (true) {
                for (; checked < events.size(); checked++) {
                    ReceivedEvent e = events.get(checked);
                    if (e.name().equals(event) && predicate.test(e.args())) {
                        return e.args();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(label + " did not receive a matching '" + event + "' within " + timeout.toMillis()
                            + " ms; it received " + describe());
                }
                waitNanos(left);
            }
        }
    }

    /** Waits until {@code count} events with this name arrived; returns their arguments in order. */
    public List<List<Object>> awaitCount(String event, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                List<List<Object>> found = received(event);
                if (found.size() >= count) {
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(label + " received " + found.size() + " '" + event + "' events instead of "
                            + count + " within " + timeout.toMillis() + " ms; it received " + describe());
                }
                waitNanos(left);
            }
        }
    }

    /** The arguments of every received event with this name, in arrival order (a snapshot). */
    public synchronized List<List<Object>> received(String event) {
        List<List<Object>> result = new ArrayList<>();
        for (ReceivedEvent e : events) {
            if (e.name().equals(event)) {
                result.add(e.args());
            }
        }
        return result;
    }

    /** Every received event in arrival order (a snapshot). */
    public synchronized List<ReceivedEvent> received() {
        return List.copyOf(events);
    }

    /** Forgets the events received so far (e.g. the welcome messages), so later checks see only new ones. */
    public synchronized void clearReceived() {
        events.clear();
    }

    /**
     * Throws AssertionError when an event with this name was received. Only meaningful after
     * {@link RealtimeFixture#sync()} (or after awaiting a later event on the same path): see the README.
     */
    public synchronized void assertNotReceived(String event) {
        List<List<Object>> found = received(event);
        if (!found.isEmpty()) {
            throw new AssertionError(label + " should not have received '" + event + "' but received it " + found.size()
                    + " time(s): " + found);
        }
    }

    /** Waits until connected; AssertionError with the last connection error otherwise. */
    public TestClient awaitConnected(Duration timeout) {
        try {
            client.awaitConnected(timeout);
        } catch (IllegalStateException e) {
            throw new AssertionError(label + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Waits until this client has connected {@code count} times in total (1 = first connection, 2 = one reconnection...). */
    public TestClient awaitConnects(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (connects < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(label + " connected " + connects + " time(s), expected " + count + " within "
                            + timeout.toMillis() + " ms; disconnect reasons: " + disconnects + ", connect errors: " + connectErrors);
                }
                waitNanos(left);
            }
        }
        return this;
    }

    /** Waits until this client has been disconnected {@code n} times (1-based) and returns the reason of the n-th time. */
    public String awaitDisconnect(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (disconnects.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(label + " was not disconnected " + (n == 1 ? "" : n + " times ") + "within "
                            + timeout.toMillis() + " ms (disconnect reasons so far: " + disconnects + ")");
                }
                waitNanos(left);
            }
            return disconnects.get(n - 1);
        }
    }

    /** Waits for the first disconnection and returns its reason (e.g. "io server disconnect"). */
    public String awaitDisconnected(Duration timeout) {
        return awaitDisconnect(1, timeout);
    }

    /** Waits for the first connect_error and returns its message (e.g. the middleware's refusal). */
    public String awaitConnectError(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (connectErrors.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(label + " got no connect_error within " + timeout.toMillis() + " ms"
                            + (client.connected() ? " (it is connected)" : ""));
                }
                waitNanos(left);
            }
            return connectErrors.get(0);
        }
    }

    /** The disconnect reasons seen so far. */
    public synchronized List<String> disconnectReasons() {
        return List.copyOf(disconnects);
    }

    /** The connect_error messages seen so far. */
    public synchronized List<String> connectErrors() {
        return List.copyOf(connectErrors);
    }

    /** Disconnects this client on purpose (no reconnection). */
    @Override
    public void close() {
        client.disconnect();
    }

    @Override
    public String toString() {
        return label;
    }

    // ------------------------------------------------------------------ used by RealtimeFixture

    void awaitMarker(long marker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!markers.contains(marker)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(label + " did not get the sync marker from the server within " + timeout.toMillis()
                            + " ms (is it still connected? " + client.connected() + ")");
                }
                waitNanos(left);
            }
            markers.remove(marker);
        }
    }

    void syncInbound(Duration timeout) {
        try {
            client.emitWithAck(SYNC_EVENT, timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(label + ": the server did not confirm it handled this client's earlier events", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private String describe() {
        return events.isEmpty() ? "nothing" : events.toString();
    }

    private void waitNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
