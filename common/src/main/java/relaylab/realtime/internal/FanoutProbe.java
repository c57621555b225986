package relaylab.realtime.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counters of the server's WebSocket fan-out, off by default, read by the bench ({@code ./jbang bench --instruments}
 * starts its server child with {@code -Drelaylab.instruments=true}) to show where the time goes at high rates:
 * frames per socket write, time from a broadcast's emit to its frame's socket write, and broadcast hand-offs already
 * waiting on an I/O thread when one starts. When off, every hook is a test of a constant that the JIT removes.
 *
 * <p>Each I/O thread records into its own counters (no shared writes on the hot path); {@link #snapshot()} sums them
 * with plain reads, so a snapshot taken while the server runs may miss the last few counts.
 */
public final class FanoutProbe {
    /** True when the JVM was started with {@code -Drelaylab.instruments=true}. */
    public static final boolean ON = Boolean.getBoolean("relaylab.instruments");
    /** Buckets of every histogram: bucket 0 holds 0 and 1, bucket b (b >= 1) the values 2^b .. 2^(b+1) - 1. */
    public static final int BUCKETS = 32;
    /** Histogram kinds in a {@link #snapshot()}: frames per write, emit-to-write microseconds, hand-offs waiting. */
    public static final int FRAMES_PER_WRITE = 0;
    /** See {@link #FRAMES_PER_WRITE}. */
    public static final int EMIT_TO_WRITE_MICROS = 1;
    /** See {@link #FRAMES_PER_WRITE}. */
    public static final int HANDOFFS_WAITING = 2;
    private static final int KINDS = 3;

    private static final List<FanoutProbe> ALL = new CopyOnWriteArrayList<>();
    private static final Map<Thread, FanoutProbe> BY_THREAD = new ConcurrentHashMap<>();

    // [kind][bucket] counts, then [kind] sums; written only by the owning I/O thread
    private final long[][] counts = new long[KINDS][BUCKETS];
    private final long[] sums = new long[KINDS];
    // hand-offs queued for this thread and not started yet: incremented by the emitting thread
    private final AtomicInteger queued = new AtomicInteger();

    private FanoutProbe() {
    }

    private static FanoutProbe of(Thread thread) {
        return BY_THREAD.computeIfAbsent(thread, t -> {
            FanoutProbe p = new FanoutProbe();
            ALL.add(p);
            return p;
        });
    }

    /** The current time for a stamp when on, else 0 (no clock read). */
    public static long stamp() {
        return ON ? System.nanoTime() : 0;
    }

    /** A broadcast's hand-off task was queued for {@code ioThread} (called by the emitting thread). */
    public static void handoffQueued(Thread ioThread) {
        of(ioThread).queued.incrementAndGet();
    }

    /** On the I/O thread, as a queued hand-off starts: records how many others still wait behind it. */
    public static void handoffStarted() {
        FanoutProbe p = of(Thread.currentThread());
        p.record(HANDOFFS_WAITING, Math.max(0, p.queued.decrementAndGet()));
    }

    /** The calling I/O thread's counters, for {@link #write} and {@link #written} (looked up once per socket write). */
    public static FanoutProbe current() {
        return of(Thread.currentThread());
    }

    /** On this probe's I/O thread: one socket write offered {@code frames} frames. */
    public void write(int frames) {
        record(FRAMES_PER_WRITE, frames);
    }

    /** On this probe's I/O thread: a frame stamped at {@code emitted} ({@link #stamp()}) was fully written at {@code now}. */
    public void written(long emitted, long now) {
        record(EMIT_TO_WRITE_MICROS, Math.max(0, (now - emitted) / 1000));
    }

    private void record(int kind, long value) {
        counts[kind][bucket(value)]++;
        sums[kind] += value;
    }

    /** The histogram bucket of {@code value}. */
    public static int bucket(long value) {
        return value <= 1 ? 0 : Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(value));
    }

    /**
     * All I/O threads' counters summed: for each kind, {@link #BUCKETS} bucket counts followed by the sum of the
     * recorded values (so {@code BUCKETS + 1} numbers per kind, kinds in the order of the constants above).
     */
    public static long[] snapshot() {
        long[] all = new long[KINDS * (BUCKETS + 1)];
        for (FanoutProbe p : ALL) {
            for (int k = 0; k < KINDS; k++) {
                for (int b = 0; b < BUCKETS; b++) {
                    all[k * (BUCKETS + 1) + b] += p.counts[k][b];
                }
                all[k * (BUCKETS + 1) + BUCKETS] += p.sums[k];
            }
        }
        return all;
    }
}
