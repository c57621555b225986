import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import redis.clients.jedis.exceptions.JedisConnectionException;
import relaylab.workbook.Task;

/**
 * Saves messages to the stream, and keeps them in order while Redis is down: the chat goes on (messages are
 * still relayed, marked "not saved yet"), and the queue is written, oldest first, once Redis answers again.
 * The queue is bounded: when it is full, a message is refused (the sender is told) and counted, never dropped silently.
 * The outage itself (its log lines, the retries that call flush) is given in RedisOutage.java.
 */
final class SaveQueue extends RedisOutage {
    /** What save did: the stream id (saved), a pending id (queued, saved = false), or refused (the queue was full). */
    record Result(String id, boolean saved, boolean refused) {
    }

    /** A queued message got its stream id: pages replace the pending id and drop the "not saved yet" mark. */
    record Saved(String pendingId, String id) {
    }

    /** A queued message; uncertain when its XADD failed, so Redis may have written it before the connection broke. */
    private record Pending(String pendingId, ChatStore.Draft draft, boolean uncertain) {
    }

    private final Consumer<Saved> onSaved;
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private long pendingCount;

    /** store, capacity, down, down(e), refuse(), written and the retries that call flush are given in RedisOutage. */
    SaveQueue(ChatStore store, int capacity, Consumer<Saved> onSaved, Consumer<String> log) {
        super(store, capacity, log);
        this.onSaved = onSaved;
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
    @Override
    synchronized void flush() {
        // TODO 5: write the waiting messages oldest first; remove each only once written, and report it to onSaved (task 5)
        throw new UnsupportedOperationException("TODO 5: write the waiting messages in order");
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
