package relaylab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
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
        if (s.instruments() != null) {
            System.out.println(s.instruments().line());
        }
    }

    /**
     * Two servers' runs of the same steps, one row per offered rate (both sides' steps, ascending): delivered/s, p50,
     * p99, server CPU per delivery, lost and whether the step kept up; "-" where a side did not run that step (it had
     * fallen behind at a lower rate, or the other stepped down). Then both sustained rates and their ratio.
     */
    static List<String> sideBySide(String nameA, Run a, String nameB, Run b) {
        TreeMap<Integer, Step> stepsA = steps(a);
        TreeMap<Integer, Step> stepsB = steps(b);
        TreeMap<Integer, Long> offered = new TreeMap<>();
        stepsA.values().forEach(st -> offered.put(st.rate(), st.offeredPerSecond()));
        stepsB.values().forEach(st -> offered.put(st.rate(), st.offeredPerSecond()));
        List<String> lines = new ArrayList<>();
        String side = "%12s %9s %9s %8s %6s %5s";
        lines.add(String.format(Locale.ROOT, "side by side, same load generator and steps: %s | %s", nameA, nameB));
        lines.add(String.format(Locale.ROOT, "%8s %11s | " + side + " | " + side, "events/s", "offered/s",
                "delivered/s", "p50", "p99", "us/dlv", "lost", "ok", "delivered/s", "p50", "p99", "us/dlv", "lost", "ok"));
        for (var e : offered.entrySet()) {
            lines.add(String.format(Locale.ROOT, "%8d %11s | %s | %s", e.getKey(), String.format(Locale.ROOT, "%,d", e.getValue()),
                    cells(stepsA.get(e.getKey()), side), cells(stepsB.get(e.getKey()), side)));
        }
        long sa = a.sustainedPerSecond();
        long sb = b.sustainedPerSecond();
        lines.add(String.format(Locale.ROOT, "sustained deliveries/s: %s %,d, %s %,d%s", nameA, sa, nameB, sb,
                sb > 0 ? String.format(Locale.ROOT, " (%.1f x)", (double) sa / sb) : ""));
        return lines;
    }

    private static TreeMap<Integer, Step> steps(Run r) {
        TreeMap<Integer, Step> steps = new TreeMap<>();
        steps.put(r.fixed().rate(), r.fixed());
        r.rising().forEach(st -> steps.put(st.rate(), st));
        return steps;
    }

    private static String cells(Step st, String format) {
        if (st == null) {
            return String.format(Locale.ROOT, format, "-", "-", "-", "-", "-", "-");
        }
        return String.format(Locale.ROOT, format, String.format(Locale.ROOT, "%,.0f", st.deliveredPerSecond()), millis(st.p50()),
                millis(st.p99()), String.format(Locale.ROOT, "%.2f", st.serverMicros()), st.lost(), st.keptUp() ? "yes" : "no");
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
        System.out.printf(Locale.ROOT, "%n=== medians of %d runs (%s) ===%n", runs.size(), o.server());
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
