package relaylab.bench;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistogramTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    @Test
    @DisplayName("an empty histogram reports 0 for every percentile and no values")
    void empty() {
        Histogram h = new Histogram();
        assertThat(h.percentile(50)).isZero();
        assertThat(h.percentile(99)).isZero();
        assertThat(h.total()).isZero();
        assertThat(h.max()).isZero();
    }

    @Test
    @DisplayName("p50 and p99 of 1..100 ms are the 10 us bucket bounds at or just above the 50th and 99th values")
    void percentilesOfAnEvenSpread() {
        Histogram h = new Histogram();
        for (int i = 100; i >= 1; i--) {   // order does not matter
            h.record(i * MS);
        }
        assertThat(h.total()).isEqualTo(100);
        // the 50th of 100 values is 50 ms, exactly a bucket boundary: its bucket [50 ms, 50.01 ms) reports its upper bound
        assertThat(h.percentile(50)).isEqualTo(50 * MS + 10 * US);
        assertThat(h.percentile(99)).isEqualTo(99 * MS + 10 * US);
        assertThat(h.percentile(100)).as("p100 is capped by the exact maximum").isEqualTo(100 * MS);
        assertThat(h.max()).isEqualTo(100 * MS);
    }

    @Test
    @DisplayName("one slow value among 99 fast ones moves p100 but not p99; the rank is rounded up")
    void rankRoundsUp() {
        Histogram h = new Histogram();
        for (int i = 0; i < 99; i++) {
            h.record(15 * US);
        }
        h.record(250 * MS);
        assertThat(h.percentile(99)).as("99 of 100 values are 15 us (bucket 10..20 us)").isEqualTo(20 * US);
        assertThat(h.percentile(99.5)).as("rank ceil(99.5) = 100: the slow value").isEqualTo(250 * MS);
        assertThat(h.percentile(50)).isEqualTo(20 * US);
    }

    @Test
    @DisplayName("values beyond 10 s land in the last bucket while max() keeps the exact value; negative values count as 0")
    void limits() {
        Histogram h = new Histogram();
        h.record(-5);
        h.record(30_000 * MS);
        assertThat(h.percentile(50)).as("the negative value, counted as 0, in the first bucket").isEqualTo(10 * US);
        assertThat(h.percentile(100)).as("beyond the limit: the last bucket's bound (printed as '>= 10 s')")
                .isEqualTo(Histogram.LIMIT_NANOS);
        assertThat(h.max()).as("the exact maximum").isEqualTo(30_000 * MS);
    }
}
