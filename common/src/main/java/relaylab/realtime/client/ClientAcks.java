package relaylab.realtime.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The acknowledgements a {@link RealtimeClient} waits for: ack ids, their futures and their timeouts. */
final class ClientAcks {
    private final ScheduledExecutorService timers;
    // guarded by "this"
    private final Map<Long, Pending> pending = new HashMap<>();
    private long nextId;

    private record Pending(CompletableFuture<List<Object>> future, ScheduledFuture<?> timer) {
    }

    ClientAcks(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    /** A new ack id whose {@code future} fails with a TimeoutException after {@code timeout}. */
    synchronized long expect(String event, Duration timeout, CompletableFuture<List<Object>> future) {
        long id = nextId++;
        ScheduledFuture<?> timer = timers.schedule(() -> {
            Pending p;
            synchronized (this) {
                p = pending.remove(id);
            }
            if (p != null) {
                p.future().completeExceptionally(new TimeoutException("the server did not acknowledge '" + event
                        + "' within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        pending.put(id, new Pending(future, timer));
        return id;
    }

    /** The server's ACK arrived: completes the call waiting for it (an unknown or late id is ignored). */
    void complete(long id, List<Object> args) {
        Pending p;
        synchronized (this) {
            p = pending.remove(id);
        }
        if (p != null) {
            p.timer().cancel(false);
            p.future().complete(args);
        }
    }

    /** Fails every call still waiting, with an IllegalStateException saying {@code why}. */
    void failAll(String why) {
        List<Pending> all;
        synchronized (this) {
            all = new ArrayList<>(pending.values());
            pending.clear();
        }
        for (Pending p : all) {
            p.timer().cancel(false);
            p.future().completeExceptionally(new IllegalStateException(why));
        }
    }
}
