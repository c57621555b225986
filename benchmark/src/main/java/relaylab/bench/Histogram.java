package relaylab.bench;

import java.util.Arrays;

/** Latency counts in 10 us buckets up to 10 s (beyond: the last bucket), plus the exact maximum. */
final class Histogram {
    private static final long BUCKET_NANOS = 10_000;
    static final long LIMIT_NANOS = 10_000_000_000L;
    private final long[] counts = new long[(int) (LIMIT_NANOS / BUCKET_NANOS)];
    private long total;
    private long max;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        int bucket = (int) Math.min(counts.length - 1, v / BUCKET_NANOS);
        counts[bucket]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    /** The smallest bucket upper bound below which {@code percent}% of the values lie (0 when empty). */
    long percentile(double percent) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * percent / 100.0);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, (i + 1) * BUCKET_NANOS);
            }
        }
        return max;
    }

    long max() {
        return max;
    }

    long total() {
        return total;
    }

    @Override
    public String toString() {
        return "Histogram" + Arrays.toString(new long[] {total, max});
    }
}
