package relaylab.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import relaylab.bench.FanOutBench.Options;
import relaylab.bench.FanOutBench.Run;
import relaylab.bench.FanOutBench.Step;

/** The bench's printed report: one line per step, and the medians over several runs. */
final class BenchReport {
    private BenchReport() {
    }

    static void printStep(Step s, String note) {
        System.out.printf(Locale.ROOT, "%8d %11s %12s %9s %9s %9s %6d %8d %14.2f %11.2f %15.2f %11s %6s  %s%n", s.rate(),
                String.format(Locale.ROOT, "%,d", s.offeredPerSecond()), String.format(Locale.ROOT, "%,.0f", s.deliveredPerSecond()),
                millis(s.p50()), millis(s.p99()), exactMillis(s.max()), s.lost(), s.late(), s.serverMicros(), s.serverSysMicros(),
                s.loadgenMicros(), exactMillis(s.senderLagMax()), s.load(), note);
    }

    static String exactMillis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    /** A percentile from the histogram. */
    static String millis(long nanos) {
        if (nanos >= Histogram.LIMIT_NANOS) {
            return ">= 10 s"; // the histogram's last bucket; the max column is exact
        }
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    static void printMedians(Options o, List<Run> runs) {
        System.out.printf(Locale.ROOT, "%n=== medians of %d runs ===%n", runs.size());
        if (o.idle() > 0) {
            System.out.printf(Locale.ROOT, "heap per idle connection (%,d idle): %.2f KB%n", o.idle(),
                    median(runs, Run::idleKbPerConnection));
        }
        System.out.printf(Locale.ROOT, "at %d events/s (%,d deliveries/s offered): delivered %,.0f/s, p50 %s, p99 %s, max %s, lost %d (late: see the runs), "
                        + "server %.2f us CPU per delivery, load generator %.2f us%n",
                o.rate(), (long) o.rate() * o.clients(), median(runs, r -> r.fixed().deliveredPerSecond()),
                millis((long) median(runs, r -> (double) r.fixed().p50())), millis((long) median(runs, r -> (double) r.fixed().p99())),
                exactMillis((long) median(runs, r -> (double) r.fixed().max())), runs.stream().mapToLong(r -> r.fixed().lost()).sum(),
                median(runs, r -> r.fixed().serverMicros()), median(runs, r -> r.fixed().loadgenMicros()));
        System.out.printf(Locale.ROOT, "sustained deliveries/s: %,.0f (per run:", median(runs, r -> (double) r.sustainedPerSecond()));
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, " %,d", r.sustainedPerSecond());
        }
        System.out.println(")");
        System.out.println("server CPU per delivery at the highest sustained rate (per run):" + highestLine(runs, Step::serverMicros));
        System.out.println("load generator CPU per delivery there (per run):" + highestLine(runs, Step::loadgenMicros));
    }

    private static String highestLine(List<Run> runs, Function<Step, Double> what) {
        StringBuilder sb = new StringBuilder();
        for (Run r : runs) {
            Step best = r.fixed().keptUp() ? r.fixed() : null;
            for (Step s : r.rising()) {
                if (s.keptUp()) {
                    best = s;
                }
            }
            sb.append(best == null ? " (none kept up)"
                    : String.format(Locale.ROOT, " %.2f us at %,d/s", what.apply(best), best.offeredPerSecond()));
        }
        return sb.toString();
    }

    static double median(List<Run> runs, Function<Run, Double> value) {
        double[] v = runs.stream().mapToDouble(value::apply).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
