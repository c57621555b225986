package relaylab.bench;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import relaylab.bench.FanOutBench.Options;
import relaylab.bench.FanOutBench.Run;
import relaylab.bench.FanOutBench.Step;
import relaylab.realtime.internal.FanoutProbe;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's command line (--compare, --instruments) and its reports, from fixed numbers: nothing is timed here. */
class BenchReportTest {
    private static final long MS = 1_000_000;

    private static FanOutBench.Command parse(String... args) {
        FanOutBench.Command command = new FanOutBench.Command();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private static Options options(String server, String compare) {
        return new Options(1000, 100, 10, 10, 0, 4000, 1, server, 0, compare, false);
    }

    @Test
    @DisplayName("--compare socketio and --instruments are parsed; both are off by default")
    void parsesCompareAndInstruments() {
        FanOutBench.Command plain = parse("--clients", "100");
        assertThat(plain.compare).isNull();
        assertThat(plain.instruments).isFalse();
        FanOutBench.Command both = parse("--compare", "socketio", "--instruments");
        assertThat(both.compare).isEqualTo("socketio");
        assertThat(both.instruments).isTrue();
        assertThat(FanOutBench.check(options("relaylab", "socketio"))).isNull();
    }

    @Test
    @DisplayName("--compare with another name, or beside --server raw, is refused with a sentence naming the option")
    void refusesWrongCompare() {
        assertThat(FanOutBench.check(options("relaylab", "nodejs"))).contains("--compare takes socketio").contains("nodejs");
        assertThat(FanOutBench.check(options("raw", "socketio"))).contains("--compare socketio runs beside relaylab")
                .contains("raw");
        assertThat(FanOutBench.check(options("tomcat", null))).contains("--server is relaylab, raw or raw-coalesced");
    }

    @Test
    @DisplayName("the other server's run has the same steps and options, without the idle-heap phase or a comparison of its own; alone() drops the comparison")
    void againstKeepsTheSteps() {
        Options o = new Options(500, 50, 6, 4, 10_000, 800, 3, "relaylab", 2, "socketio", true);
        Options other = o.against("socketio");
        assertThat(other).isEqualTo(new Options(500, 50, 6, 4, 0, 800, 3, "socketio", 2, null, true));
        assertThat(o.alone()).as("without the comparison (node missing)")
                .isEqualTo(new Options(500, 50, 6, 4, 10_000, 800, 3, "relaylab", 2, null, true));
    }

    private static Step step(int rate, long delivered, long p50Ms, long p99Ms, double micros, long lost, boolean keptUp) {
        long offered = rate * 1000L;
        long expected = offered * 5;
        return new Step(rate, offered, rate * 5L, expected, expected - lost, 0, delivered, p50Ms * MS, p99Ms * MS, p99Ms * 2 * MS,
                micros, micros / 2, 0.5, MS, "1.00", keptUp, null);
    }

    @Test
    @DisplayName("side by side: one row per offered rate of either run, '-' where a server did not run the step, then both sustained rates")
    void sideBySide() {
        Run ours = new Run(Double.NaN, 0, step(100, 100_000, 5, 14, 7.71, 0, true),
                List.of(step(200, 199_000, 19, 45, 6.05, 0, true), step(300, 298_000, 17, 39, 4.03, 0, true)));
        Run theirs = new Run(Double.NaN, 0, step(100, 99_500, 12, 80, 40.5, 0, true),
                List.of(step(200, 120_000, 900, 2400, 35.25, 7, false)));
        List<String> lines = BenchReport.sideBySide("relaylab", ours, "socketio", theirs);
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).contains("relaylab | socketio");
        assertThat(lines.get(1)).containsSubsequence("events/s", "offered/s", "delivered/s", "p50", "p99", "us/dlv", "lost",
                "delivered/s", "p50", "p99", "us/dlv", "lost");
        assertThat(lines.get(2)).containsSubsequence("100", "100,000", "|", "100,000", "5.00 ms", "14.00 ms", "7.71", "0", "yes",
                "|", "99,500", "12.00 ms", "80.00 ms", "40.50", "0", "yes");
        assertThat(lines.get(3)).containsSubsequence("200", "200,000", "|", "199,000", "|", "120,000", "900.00 ms", "2400.00 ms",
                "35.25", "7", "no");
        assertThat(lines.get(4)).containsSubsequence("300", "300,000", "|", "298,000", "4.03", "yes", "|")
                .matches(".*\\|\\s+-\\s+-\\s+-\\s+-\\s+-\\s+-$");
        assertThat(lines.get(5)).isEqualTo("sustained deliveries/s: relaylab 300,000, socketio 100,000 (3.0 x)");
    }

    @Test
    @DisplayName("the instruments line: mean and the p50/p99 buckets of each histogram, and the receive loop's share of the step")
    void instrumentsLine() {
        int stride = FanoutProbe.BUCKETS + 1;
        long[] before = new long[3 * stride];
        long[] after = new long[3 * stride];
        // frames per write: 60 writes of 2-3 frames, 39 of 8-15, 1 of 64-127: 100 writes, 600 frames in all
        after[FanoutProbe.FRAMES_PER_WRITE * stride + 1] = 60;
        after[FanoutProbe.FRAMES_PER_WRITE * stride + 3] = 39;
        after[FanoutProbe.FRAMES_PER_WRITE * stride + 6] = 1;
        after[FanoutProbe.FRAMES_PER_WRITE * stride + FanoutProbe.BUCKETS] = 600;
        // emit to write: 600 frames, all 1,024-2,047 us, sum 900,000 us; counted from 100 frames before the step
        before[FanoutProbe.EMIT_TO_WRITE_MICROS * stride + 10] = 100;
        after[FanoutProbe.EMIT_TO_WRITE_MICROS * stride + 10] = 700;
        before[FanoutProbe.EMIT_TO_WRITE_MICROS * stride + FanoutProbe.BUCKETS] = 150_000;
        after[FanoutProbe.EMIT_TO_WRITE_MICROS * stride + FanoutProbe.BUCKETS] = 1_050_000;
        String line = Instruments.of(before, after, 300 * MS, 1000 * MS, 1500 * MS).line();
        assertThat(line).isEqualTo("  instruments: frames per write mean 6.00, p50 2-3, p99 8-15 (100 writes); "
                + "emit to write mean 1.5 ms, p50 1.0 ms-2.0 ms, p99 1.0 ms-2.0 ms (600 frames); "
                + "broadcast hand-offs waiting on the I/O thread: none; "
                + "load generator receive loop busy 30% of the step, server CPU 150% of one core");
    }

    @Test
    @DisplayName("without server counters (socket.io, raw) only the receive loop is shown; with nothing instrumented, no line")
    void instrumentsWithoutProbe() {
        assertThat(Instruments.of(null, null, 500 * MS, 1000 * MS, 250 * MS).line())
                .isEqualTo("  instruments: load generator receive loop busy 50% of the step, server CPU 25% of one core");
        assertThat(Instruments.of(null, null, -1, 1000 * MS, 250 * MS)).isNull();
    }
}
