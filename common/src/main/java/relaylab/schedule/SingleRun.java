package relaylab.schedule;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A scheduled job that never runs twice at once: each tick starts it on its own worker thread unless
 * the previous run is still going, and then that tick is skipped with one line saying so. A run that
 * fails prints one line (described by the caller, e.g. "MongoDB at ... is not reachable") and the
 * schedule goes on: the next tick simply tries again.
 */
public final class SingleRun implements AutoCloseable {
    private final String name;
    private final Consumer<String> out;
    private final Function<Throwable, String> describe;
    private final ExecutorService worker;
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * {@code name} is what a line calls the job ("backup"); {@code out} receives the one-line messages;
     * {@code describe} turns a failure into the text after "failed: " (one line, no stack trace).
     */
    public SingleRun(String name, Consumer<String> out, Function<Throwable, String> describe) {
        this.name = name;
        this.out = out;
        this.describe = describe;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, name + "-run");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Called at each tick (from the timer thread): starts {@code job} and returns true, or, when the
     * previous run has not finished, prints "{@code <tick>: <name> skipped, the previous run is still
     * going}" and returns false.
     */
    public boolean start(String tick, Runnable job) {
        if (!running.compareAndSet(false, true)) {
            out.accept(tick + ": " + name + " skipped, the previous run is still going");
            return false;
        }
        try {
            worker.execute(() -> {
                try {
                    job.run();
                } catch (RuntimeException e) {
                    out.accept(tick + ": " + name + " failed: " + describe.apply(e) + "; the next tick retries");
                } finally {
                    running.set(false);
                }
            });
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        return true;
    }

    /** Whether a run is going now. */
    public boolean running() {
        return running.get();
    }

    /** Waits until no run is going (true) or the timeout passed (false); for a clean stop and for tests. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.get()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Lets a run in progress finish (at most {@code timeout}) and stops the worker thread. */
    public boolean close(Duration timeout) throws InterruptedException {
        worker.shutdown();
        return worker.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the worker thread, interrupting a run in progress. */
    @Override
    public void close() {
        worker.shutdownNow();
    }
}
