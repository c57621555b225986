import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisConnectionException;
import relaylab.workbook.Task;

/**
 * Saves messages to the stream, and keeps them in order while Redis is down: the chat goes on (messages are
 * still relayed, marked "not saved yet"), and the queue is written, oldest first, once Redis answers again.
 * The queue is bounded: when it is full, a message is refused (the sender is told) and counted, never dropped silently.
 */
final class SaveQueue implements AutoCloseable {
    /** What save did: the stream id (saved), a pending id (queued, saved = false), or refused (the queue was full). */
    record Result(String id, boolean saved, boolean refused) {
    }

    /** A queued message got its stream id: pages replace the pending id and drop the "not saved yet" mark. */
    record Saved(String pendingId, String id) {
    }

    /** A queued message; uncertain when its XADD failed, so Redis may have written it before the connection broke. */
    private record Pending(String pendingId, ChatStore.Draft draft, boolean uncertain) {
    }

    static final long FIRST_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 2000;

    private final ChatStore store;
    private final int capacity;
    private final Consumer<Saved> onSaved;
    private final Consumer<String> log;
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "redis-retry"));
    private boolean down;
    private long downSince;
    private long retryMillis;
    private long pendingCount;
    private long written;
    private long refused;

    SaveQueue(ChatStore store, int capacity, Consumer<Saved> onSaved, Consumer<String> log) {
        this.store = store;
        this.capacity = capacity;
        this.onSaved = onSaved;
        this.log = log;
    }

    @Task(number = 5, title = "Keep chatting while Redis is down",
            hint = "save: when not down, return new Result(store.append(draft), true, false); if that throws"
                    + " JedisConnectionException, call down(e) and queue the draft as uncertain. While down (or after), queue it:"
                    + " return refuse() when waiting holds capacity, else addLast a Pending with"
                    + " \"pending-\" + (++pendingCount) and return it unsaved. flush: while waiting is not empty, append the first"
                    + " (for an uncertain one, first ask store.idOf(mark, 100)), then removeFirst, written++ and onSaved.accept.")
    synchronized Result save(ChatStore.Draft draft) {
        // TODO 5: when not down, append and return it saved; on JedisConnectionException call down(e) and queue it as uncertain.
        // While down, queue it in order with a "pending-N" id, or refuse() when capacity messages already wait (task 5)
        throw new UnsupportedOperationException("TODO 5: save the message, or queue it while Redis is down");
    }

    /** Writes the queued messages, oldest first; throws JedisConnectionException, keeping the rest, when Redis fails again. */
    synchronized void flush() {
        // TODO 5: write the waiting messages oldest first; remove each only once written, and report it to onSaved (task 5)
        throw new UnsupportedOperationException("TODO 5: write the waiting messages in order");
    }

    // ------------------------------------------------------------------ given: the outage, its log lines and the retries

    /** Redis did not answer (here, or in a heartbeat): one log line, then retries with backoff until it is back. */
    synchronized void down(JedisConnectionException e) {
        if (down || retries.isShutdown()) {   // known already, or the chat is closing
            return;
        }
        down = true;
        downSince = System.nanoTime();
        retryMillis = FIRST_RETRY_MILLIS;
        written = 0;
        refused = 0;
        log.accept("Redis is down (" + e.getMessage() + "): the chat goes on, and up to " + capacity + " new messages wait"
                + " here, in order, until it is back; retrying every " + FIRST_RETRY_MILLIS + " ms to " + MAX_RETRY_MILLIS / 1000 + " s.");
        retries.schedule(this::retry, retryMillis, TimeUnit.MILLISECONDS);
    }

    /** The queue is full: the message is refused and counted (the first refusal of an outage is logged). */
    synchronized Result refuse() {
        if (++refused == 1) {
            log.accept("The queue of unsaved messages is full (" + capacity + "): new messages are refused until Redis answers again.");
        }
        return new Result(null, false, true);
    }

    /** Runs a Redis call; when Redis cannot be reached, reports the outage (once: see down) and returns fallback. */
    <T> T orElse(Supplier<T> call, T fallback) {
        try {
            return call.get();
        } catch (JedisConnectionException e) {
            down(e);
            return fallback;
        }
    }

    /** One line for the server's log. */
    void log(String line) {
        log.accept(line);
    }

    synchronized boolean isDown() {
        return down;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private synchronized void retry() {
        if (retries.isShutdown()) {
            return;
        }
        try {
            store.redis.ping();
            flush();
            down = false;
            log.accept(String.format("Redis is back after %.1f s: %d waiting messages written in order%s.",
                    (System.nanoTime() - downSince) / 1e9, written,
                    refused == 0 ? "" : "; " + refused + " messages were refused because " + capacity + " were already waiting"));
        } catch (JedisConnectionException e) {
            retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
            retries.schedule(this::retry, retryMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            log.accept("Writing the waiting messages failed, no more retries: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
