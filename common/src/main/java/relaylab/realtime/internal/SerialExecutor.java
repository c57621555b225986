package relaylab.realtime.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: each connection gets ordered
 * handler calls without owning a thread. Extends AtomicBoolean (the "scheduled" flag) to stay small.
 */
public final class SerialExecutor extends AtomicBoolean implements Executor, Runnable {
    private static final System.Logger LOG = System.getLogger("relaylab.realtime");
    private static final int BATCH = 64;

    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    /** A serial executor whose tasks run on {@code pool}. */
    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (compareAndSet(false, true)) {
            try {
                pool.execute(this);
            } catch (RejectedExecutionException e) {
                // the pool is shutting down (server stop): finish the work here so that no listener is lost
                run();
            }
        }
    }

    @Override
    public void run() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "unexpected error in a realtime task: " + e, e);
                }
            }
        } finally {
            set(false);
            if (!tasks.isEmpty()) {
                schedule();
            }
        }
    }
}
