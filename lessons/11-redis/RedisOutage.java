import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Given beside SaveQueue: what happens around an outage of Redis. The first failed call logs one line and starts
 * retries with backoff (100 ms doubling to 2 s); each retry pings Redis and, once it answers, calls
 * {@link #flush()} (yours, in SaveQueue) and logs how many waiting messages were written. Nothing to write here.
 */
abstract class RedisOutage implements AutoCloseable {
    static final long FIRST_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 2000;

    final ChatStore store;
    /** How many messages may wait while Redis is down. */
    final int capacity;
    /** Redis is down: set by down(e), cleared once a retry flushed the queue. Guarded by this. */
    boolean down;
    /** How many waiting messages flush wrote in this outage (for the log line when Redis is back). Guarded by this. */
    long written;
    private final Consumer<String> log;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "redis-retry"));
    private long downSince;
    private long retryMillis;
    private long refused;

    RedisOutage(ChatStore store, int capacity, Consumer<String> log) {
        this.store = store;
        this.capacity = capacity;
        this.log = log;
    }

    /** Writes the waiting messages; a retry calls it once Redis answers a ping again. */
    abstract void flush();

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
    synchronized SaveQueue.Result refuse() {
        if (++refused == 1) {
            log.accept("The queue of unsaved messages is full (" + capacity + "): new messages are refused until Redis answers again.");
        }
        return new SaveQueue.Result(null, false, true);
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
