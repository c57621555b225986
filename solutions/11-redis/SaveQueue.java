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
        boolean uncertain = false;
        if (!down) {
            try {
                return new Result(store.append(draft), true, false);
            } catch (JedisConnectionException e) {
                down(e);
                uncertain = true;
            }
        }
        if (waiting.size() >= capacity) {
            return refuse();
        }
        String pendingId = "pending-" + (++pendingCount);
        waiting.addLast(new Pending(pendingId, draft, uncertain));
        return new Result(pendingId, false, false);
    }

    /** Writes the queued messages, oldest first; throws JedisConnectionException, keeping the rest, when Redis fails again. */
    @Override
    synchronized void flush() {
        while (!waiting.isEmpty()) {
            Pending next = waiting.peekFirst();
            String id = next.uncertain() ? store.idOf(next.draft().mark(), 100) : null;
            if (id == null) {
                id = store.append(next.draft());
            }
            waiting.removeFirst();
            written++;
            onSaved.accept(new Saved(next.pendingId(), id));
        }
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
