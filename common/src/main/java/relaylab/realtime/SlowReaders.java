package relaylab.realtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes queued for all slow WebSocket readers of one server together, against {@code maxQueuedBytes}: when
 * they pass it, the reader holding most is cut off (one at a time), so that many clients each below the per-client
 * limit cannot together fill the heap. Only writers waiting for a full socket are counted: a writer that keeps up
 * holds its frames for one flush at most, and leaves this accounting alone (no shared counter on the fast path).
 */
final class SlowReaders {
    private final long cap;
    private final AtomicLong queued = new AtomicLong();
    private final Set<WebSocketWriter> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean cutting = new AtomicBoolean();

    SlowReaders(long cap) {
        this.cap = cap;
    }

    /** A writer's counted bytes changed by {@code delta} (it started or stopped waiting, or queued more while waiting). */
    void add(WebSocketWriter writer, long delta, boolean stillWaiting) {
        if (stillWaiting) {
            waiting.add(writer);
        } else {
            waiting.remove(writer);
        }
        long total = queued.addAndGet(delta);
        if (total > cap && cutting.compareAndSet(false, true)) {
            WebSocketWriter most = null;
            for (WebSocketWriter w : waiting) {
                if (most == null || w.counted > most.counted) {
                    most = w;
                }
            }
            if (most == null) {
                cutting.set(false);
                return;
            }
            most.cutOff(total, cap, () -> cutting.set(false));
        }
    }

    /** Bytes counted now, for tests and the Limits table. */
    long queued() {
        return queued.get();
    }
}
