package relaylab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import relaylab.realtime.internal.FanoutProbe;

/**
 * One step's instruments ({@code --instruments}): relaylab's fan-out counters over the step (the difference of two
 * {@link FanoutProbe#snapshot()}s; null for other servers) and the load generator's receive-loop time, next to the
 * step's wall time and the server's CPU time. Printed as one line under the step.
 */
record Instruments(long[] probe, long receiveNanos, long wallNanos, long serverCpuNanos) {
    private static final int STRIDE = FanoutProbe.BUCKETS + 1;

    /** The step's instruments from the counters before and after it; null when nothing was instrumented. */
    static Instruments of(long[] before, long[] after, long receiveNanos, long wallNanos, long serverCpuNanos) {
        if ((before == null || after == null) && receiveNanos < 0) {
            return null;
        }
        long[] diff = null;
        if (before != null && after != null) {
            diff = new long[after.length];
            for (int i = 0; i < after.length; i++) {
                diff[i] = after[i] - before[i];
            }
        }
        return new Instruments(diff, receiveNanos, wallNanos, serverCpuNanos);
    }

    /** The printed line, e.g. {@code instruments: frames per write mean 3.10, p50 2-3, p99 8-15 (...); ...}. */
    String line() {
        List<String> parts = new ArrayList<>();
        if (probe != null) {
            parts.add(histogram("frames per write", FanoutProbe.FRAMES_PER_WRITE, false, "writes"));
            parts.add(histogram("emit to write", FanoutProbe.EMIT_TO_WRITE_MICROS, true, "frames"));
            parts.add(histogram("broadcast hand-offs waiting on the I/O thread", FanoutProbe.HANDOFFS_WAITING, false,
                    "hand-offs"));
        }
        if (receiveNanos >= 0 && wallNanos > 0) {
            parts.add(String.format(Locale.ROOT, "load generator receive loop busy %.0f%% of the step, server CPU %.0f%% of one core",
                    100.0 * receiveNanos / wallNanos, 100.0 * serverCpuNanos / wallNanos));
        }
        return "  instruments: " + String.join("; ", parts);
    }

    private String histogram(String name, int kind, boolean micros, String unit) {
        long total = 0;
        for (int b = 0; b < FanoutProbe.BUCKETS; b++) {
            total += probe[kind * STRIDE + b];
        }
        if (total == 0) {
            return name + ": none";
        }
        double mean = (double) probe[kind * STRIDE + FanoutProbe.BUCKETS] / total;
        return String.format(Locale.ROOT, "%s mean %s, p50 %s, p99 %s (%,d %s)", name, micros ? time(mean) : String.format(Locale.ROOT,
                "%.2f", mean), range(percentileBucket(kind, total, 50), micros), range(percentileBucket(kind, total, 99), micros), total, unit);
    }

    /** The bucket holding the p-th percentile of the {@code total} values recorded for {@code kind}. */
    private int percentileBucket(int kind, long total, int p) {
        long rank = (long) Math.ceil(total * p / 100.0);
        long seen = 0;
        for (int b = 0; b < FanoutProbe.BUCKETS; b++) {
            seen += probe[kind * STRIDE + b];
            if (seen >= rank) {
                return b;
            }
        }
        return FanoutProbe.BUCKETS - 1;
    }

    /** A bucket's values: "0-1", "2-3", "4-7", ...; in microseconds shown as time. */
    static String range(int bucket, boolean micros) {
        long low = bucket == 0 ? 0 : 1L << bucket;
        long high = (1L << (bucket + 1)) - 1;
        return micros ? time(low) + "-" + time(high) : low + "-" + high;
    }

    private static String time(double micros) {
        return micros < 1000 ? String.format(Locale.ROOT, "%.0f us", micros) : String.format(Locale.ROOT, "%.1f ms", micros / 1000);
    }
}
