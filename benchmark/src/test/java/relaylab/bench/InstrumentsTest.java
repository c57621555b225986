package relaylab.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.internal.FanoutProbe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --instruments end to end, small and bounded: the server child with its FanoutProbe on, 10 receivers, 20 events;
 * the counters account for every delivery. Nothing is timed: counts only.
 */
class InstrumentsTest {
    private static final int STRIDE = FanoutProbe.BUCKETS + 1;
    private static final int CLIENTS = 10;
    private static final int EVENTS = 20;

    private static long count(long[] probe, int kind) {
        long n = 0;
        for (int b = 0; b < FanoutProbe.BUCKETS; b++) {
            n += probe[kind * STRIDE + b];
        }
        return n;
    }

    private static long sum(long[] probe, int kind) {
        return probe[kind * STRIDE + FanoutProbe.BUCKETS];
    }

    @Test
    @DisplayName("with --instruments the server child counts every delivered frame, the writes that took them and one hand-off per event")
    void countsEveryDelivery() throws Exception {
        try (ServerChild server = ServerChild.start("relaylab", 1, true); LoadGen gen = LoadGen.start(server.port(), true)) {
            gen.openSender();
            gen.open(CLIENTS);
            gen.awaitReady(CLIENTS + 1, Duration.ofSeconds(30));
            server.awaitSockets(CLIENTS + 1, Duration.ofSeconds(30));
            long[] before = server.probe();
            assertThat(before).as("counters of a server child started with instruments").isNotNull();
            LoadGen.StepStats stats = gen.runStep(EVENTS * 10, EVENTS, (long) EVENTS * CLIENTS, Duration.ofSeconds(30));
            assertThat(stats.delivered()).isEqualTo((long) EVENTS * CLIENTS);
            assertThat(stats.receiveNanos()).as("receive loop timed").isPositive();
            // the counters are read without a lock from another thread: wait (bounded) until the last ones show
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long[] after = server.probe();
            while (count(after, FanoutProbe.EMIT_TO_WRITE_MICROS) - count(before, FanoutProbe.EMIT_TO_WRITE_MICROS)
                    < (long) EVENTS * CLIENTS && System.nanoTime() < deadline) {
                after = server.probe();
            }
            Instruments step = Instruments.of(before, after, stats.receiveNanos(), stats.end() - stats.start(), 1);
            long[] d = step.probe();
            assertThat(count(d, FanoutProbe.EMIT_TO_WRITE_MICROS)).as("frames written, one per delivery").isEqualTo((long) EVENTS * CLIENTS);
            assertThat(sum(d, FanoutProbe.FRAMES_PER_WRITE)).as("frames offered to the writes").isEqualTo((long) EVENTS * CLIENTS);
            assertThat(count(d, FanoutProbe.FRAMES_PER_WRITE)).as("socket writes").isBetween((long) CLIENTS, (long) EVENTS * CLIENTS);
            assertThat(count(d, FanoutProbe.HANDOFFS_WAITING)).as("broadcast hand-offs to the one I/O thread").isEqualTo(EVENTS);
            assertThat(step.line()).contains("(" + EVENTS * CLIENTS + " frames)").contains("(" + EVENTS + " hand-offs)");
        }
    }

    @Test
    @DisplayName("without --instruments the server child keeps no counters")
    void offByDefault() throws Exception {
        try (ServerChild server = ServerChild.start("relaylab", 1, false)) {
            assertThat(server.probe()).isNull();
        }
    }

    @Test
    @DisplayName("histogram buckets are powers of two: 0-1, 2-3, 4-7, ...; the last one takes everything above")
    void buckets() {
        assertThat(FanoutProbe.bucket(0)).isZero();
        assertThat(FanoutProbe.bucket(1)).isZero();
        assertThat(FanoutProbe.bucket(2)).isEqualTo(1);
        assertThat(FanoutProbe.bucket(3)).isEqualTo(1);
        assertThat(FanoutProbe.bucket(4)).isEqualTo(2);
        assertThat(FanoutProbe.bucket(1023)).isEqualTo(9);
        assertThat(FanoutProbe.bucket(1024)).isEqualTo(10);
        assertThat(FanoutProbe.bucket(Long.MAX_VALUE)).isEqualTo(FanoutProbe.BUCKETS - 1);
        assertThat(Instruments.range(0, false)).isEqualTo("0-1");
        assertThat(Instruments.range(3, false)).isEqualTo("8-15");
        assertThat(Instruments.range(10, true)).isEqualTo("1.0 ms-2.0 ms");
        assertThat(Instruments.range(5, true)).isEqualTo("32 us-63 us");
    }
}
