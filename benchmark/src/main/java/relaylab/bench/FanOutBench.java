///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Xmx1g -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../../../../../../common/src/main/java/relaylab/realtime/*.java
//SOURCES ../../../../../../common/src/main/java/relaylab/realtime/client/*.java
//SOURCES ../../../../../../common/src/main/java/relaylab/realtime/internal/*.java
//SOURCES ../../../../../../common/src/main/java/relaylab/realtime/protocol/*.java
//SOURCES ../../../../../../common/src/main/java/relaylab/workbook/*.java
//SOURCES BenchReport.java ServerChild.java LoadGen.java ClientConn.java Histogram.java RawFanOutServer.java
//SOURCES NodeServer.java Instruments.java

package relaylab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import relaylab.realtime.RealtimeServer;

/**
 * Fan-out benchmark of relaylab's realtime server: {@code ./jbang bench} (options: --clients, --rate,
 * --seconds, --warmup, --idle, --max-rate, --runs, --server, --io-threads, --compare, --instruments; --help lists them).
 *
 * <p>The server runs alone in a child JVM, so its CPU time (all its threads, GC and JIT included) and its
 * heap are measured without the load generator. The load generator is this process: ONE thread with an
 * NIO selector that opens raw WebSocket connections, speaks just enough Engine.IO/Socket.IO to connect and
 * answer pings, and per received frame reads only the frame header and the send timestamp embedded in the
 * message. One extra connection sends a small JSON chat event at a fixed rate; the server broadcasts it to
 * everyone but the sender, so each event is {@code clients} deliveries. Latency runs from the moment the
 * sender wrote the event to its socket (non-blocking: the server cannot slow the sender down) to the moment a
 * receiver read it; how late the sender was against its schedule is reported too, so a busy load generator
 * shows up instead of hiding delays.
 *
 * <p>Phases of one run: (1) heap per idle connection: GC, used heap, open {@code --idle} connections, GC,
 * used heap again, divide; (2) fan-out at the fixed offered rate (after a warm-up), then rising rates
 * until the server falls behind (p99 &ge; 100 ms, less than 95% of the offered deliveries per second, or a
 * lost message) or {@code --max-rate} is reached; when it is already behind at the fixed rate, falling rates
 * (75, 50, 25, 10 %) find the rate it sustains. Loopback only; every wait has a deadline.
 */
public final class FanOutBench {

    static final String SERVE_FLAG = "--serve";
    /** Rising steps as multiples of the fixed rate, in tenths: 2x, 3x, ... 40x (200 ... 4,000 events/s by default). */
    static final int[] RISING_TENTHS = {20, 30, 40, 50, 65, 80, 100, 125, 160, 200, 250, 320, 400};
    static final long BEHIND_P99_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    record Options(int clients, int rate, int seconds, int warmup, int idle, int maxRate, int runs, String server, int ioThreads,
                   String compare, boolean instruments) {
        /** The same steps against another server: no idle-heap phase, no comparison of its own. */
        Options against(String otherServer) {
            return new Options(clients, rate, seconds, warmup, 0, maxRate, runs, otherServer, ioThreads, null, instruments);
        }

        /** These options without the comparison (when it cannot run here). */
        Options alone() {
            return new Options(clients, rate, seconds, warmup, idle, maxRate, runs, server, ioThreads, null, instruments);
        }
    }

    /**
     * One step's figures. {@code delivered} arrived before the step's deadline (its length plus a drain time);
     * {@code late} arrived after that (waiting while deliveries keep coming, at most 180 s); {@code lost} did
     * not arrive: no delivery for 3 s while some were missing, or 180 s passed (then: lost or still queued).
     */
    record Step(int rate, long offeredPerSecond, long events, long expected, long delivered, long late, double deliveredPerSecond,
                long p50, long p99, long max, double serverMicros, double serverSysMicros, double loadgenMicros, long senderLagMax,
                String load, boolean keptUp, Instruments instruments) {
        long lost() {
            return expected - delivered - late;
        }
    }

    record Run(double idleKbPerConnection, int idleConnections, Step fixed, List<Step> rising) {
        long sustainedPerSecond() {
            long best = fixed.keptUp() ? fixed.offeredPerSecond() : 0;
            for (Step s : rising) {
                if (s.keptUp()) {
                    best = Math.max(best, s.offeredPerSecond());
                }
            }
            return best;
        }
    }

    private FanOutBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(SERVE_FLAG)) {
            ServerChild.serve(args.length > 1 ? args[1] : "relaylab", args.length > 2 ? Integer.parseInt(args[2]) : 0);
            return;
        }
        System.exit(new CommandLine(new Command()).execute(args));
    }

    /** The command line: {@code ./jbang bench [options]}. */
    @CommandLine.Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Fan-out benchmark of relaylab's realtime server on 127.0.0.1: one sender, N receiving "
                    + "WebSocket clients, a fixed rate, then rising rates until the server falls behind; and heap per idle connection.")
    static final class Command implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Option(names = "--clients", paramLabel = "N", defaultValue = "1000",
                description = "receiving WebSocket clients; each event is delivered to all of them (default: ${DEFAULT-VALUE})")
        int clients;

        @CommandLine.Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "100",
                description = "fixed offered rate in events/s for the latency figures; x clients = deliveries/s (default: ${DEFAULT-VALUE})")
        int rate;

        @CommandLine.Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
                description = "length of the fixed-rate step; other steps last half of it, at least 3 s (default: ${DEFAULT-VALUE})")
        int seconds;

        @CommandLine.Option(names = "--warmup", paramLabel = "S", defaultValue = "10",
                description = "seconds at the fixed rate before measuring, so that the JIT compilers have settled and do "
                        + "not count as the server's CPU per delivery (default: ${DEFAULT-VALUE})")
        int warmup;

        @CommandLine.Option(names = "--idle", paramLabel = "N", defaultValue = "10000",
                description = "idle connections for the heap-per-connection figure; 0 skips it (default: ${DEFAULT-VALUE})")
        int idle;

        @CommandLine.Option(names = "--max-rate", paramLabel = "EVENTS_PER_S", defaultValue = "4000",
                description = "highest rising rate in events/s (default: ${DEFAULT-VALUE})")
        int maxRate;

        @CommandLine.Option(names = "--runs", paramLabel = "N", defaultValue = "1",
                description = "how many runs; with more than one the medians are printed (default: ${DEFAULT-VALUE})")
        int runs;

        @CommandLine.Option(names = "--server", paramLabel = "KIND", defaultValue = "relaylab",
                description = "relaylab; raw: a bare one-thread NIO fan-out with one socket write per delivery, the floor to "
                        + "compare with; raw-coalesced: the same, writing the frames that piled up for a connection in one "
                        + "write, as relaylab does (default: ${DEFAULT-VALUE})")
        String server;

        @CommandLine.Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
                description = "relaylab's I/O threads; 0 = its default, one per core and at least 2 (default: ${DEFAULT-VALUE})")
        int ioThreads;

        @CommandLine.Option(names = "--compare", paramLabel = "SERVER",
                description = "also run the same steps against SERVER and print both side by side; socketio: the official "
                        + "socket.io 4.8 server on Node (npm installs the version the interop tests pin; skipped with the "
                        + "reason when node or npm is missing)")
        String compare;

        @CommandLine.Option(names = "--instruments",
                description = "print where the time goes per step: frames per socket write, emit-to-write time and hand-offs "
                        + "waiting on an I/O thread (relaylab's FanoutProbe, off unless asked), and the load generator's "
                        + "receive-loop time")
        boolean instruments;

        @Override
        public Integer call() throws Exception {
            Options checked = new Options(within("--clients", clients, 1, 20_000), within("--rate", rate, 1, 100_000),
                    within("--seconds", seconds, 1, 600), within("--warmup", warmup, 1, 600),
                    within("--idle", idle, 0, 50_000),
                    within("--max-rate", maxRate, 1, 100_000), within("--runs", runs, 1, 10), server,
                    within("--io-threads", ioThreads, 0, 64), compare, instruments);
            String wrong = check(checked);
            if (wrong != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), wrong);
            }
            if (!checkFileLimit(checked)) {
                return 2;
            }
            Options other = null;
            Options options = checked;
            if (options.compare() != null) {
                String missing = NodeServer.unavailable();
                if (missing.isEmpty()) {
                    try {
                        NodeServer.install();
                        other = options.against(options.compare());
                    } catch (RuntimeException e) {
                        System.out.println("--compare socketio skipped: socket.io could not be installed: " + e.getMessage());
                        options = options.alone();
                    }
                } else {
                    System.out.println("--compare socketio skipped: " + missing);
                    options = options.alone();
                }
            }
            printEnvironment(options);
            List<Run> results = new ArrayList<>();
            List<Run> others = new ArrayList<>();
            for (int i = 1; i <= options.runs(); i++) {
                System.out.printf(Locale.ROOT, "%n=== run %d of %d ===%n", i, options.runs());
                Run run = runOnce(options);
                results.add(run);
                if (other != null) {
                    System.out.printf(Locale.ROOT, "%n--- the same steps against %s (run %d of %d) ---%n", other.server(), i, options.runs());
                    Run theirs = runOnce(other);
                    others.add(theirs);
                    System.out.println();
                    BenchReport.sideBySide(options.server(), run, other.server(), theirs).forEach(System.out::println);
                }
            }
            if (results.size() > 1) {
                BenchReport.printMedians(options, results);
                if (other != null) {
                    BenchReport.printMedians(other, others);
                }
            }
            return 0;
        }

        private int within(String flag, int value, int min, int max) {
            if (value < min || value > max) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        flag + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }
    }

    /** What is wrong with options the command line could not check by itself, or null. */
    static String check(Options o) {
        if (!List.of("relaylab", "raw", "raw-coalesced").contains(o.server())) {
            return "--server is relaylab, raw or raw-coalesced, not \"" + o.server() + "\"";
        }
        if (o.compare() != null && !o.compare().equals("socketio")) {
            return "--compare takes socketio (the official socket.io server on Node), not \"" + o.compare() + "\"";
        }
        if (o.compare() != null && !o.server().equals("relaylab")) {
            return "--compare socketio runs beside relaylab: leave --server out (it was " + o.server() + ")";
        }
        return null;
    }

    /** Each connection is one file descriptor in this process and one in the server: check the limit up front. */
    static boolean checkFileLimit(Options options) {
        long needed = Math.max(options.idle(), options.clients() + 1) + 200L;
        long limit = openFileLimit();
        if (limit > 0 && limit < needed) {
            System.err.printf(Locale.ROOT, "bench: %d connections need about %d open files per process, but the limit is %d.%n"
                    + "Raise it in the shell first (ulimit -n %d) or ask for fewer (--idle / --clients).%n",
                    Math.max(options.idle(), options.clients() + 1), needed, limit, needed);
            return false;
        }
        return true;
    }

    static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    return parts[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("bench: could not read the open-file limit (" + e.getMessage() + "); going on");
        }
        return -1;
    }

    static void printEnvironment(Options o) {
        System.out.printf(Locale.ROOT, "relaylab fan-out benchmark: %d receivers + 1 sender on 127.0.0.1, fixed rate %d events/s "
                        + "(%,d deliveries/s) for %d s after a %d s warm-up, then rising to at most %d events/s; %,d idle connections for the heap figure%n",
                o.clients(), o.rate(), (long) o.rate() * o.clients(), o.seconds(), o.warmup(), o.maxRate(), o.idle());
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s (%s), open-file limit %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                openFileLimit() == Long.MAX_VALUE ? "unlimited" : String.valueOf(openFileLimit()));
        System.out.println("server: " + switch (o.server()) {
                    case "raw" -> "RAW one-thread NIO fan-out, one write per delivery (the floor, not relaylab)";
                    case "raw-coalesced" -> "RAW one-thread NIO fan-out, frames waiting for a connection in one write (not relaylab)";
                    case "socketio" -> "socket.io on Node (" + NodeServer.SCRIPT + ")";
                    default -> "relaylab RealtimeServer, " + (o.ioThreads() == 0 ? "default I/O threads" : o.ioThreads() + " I/O thread(s)");
                }
                + " in a child JVM " + String.join(" ", ServerChild.JVM_FLAGS)
                + "; CPU = its whole process (all threads, GC, JIT) over each step"
                + (o.compare() != null ? "; then the same steps against socket.io on Node, CPU from /proc the same way" : ""));
    }

    // ------------------------------------------------------------------ one run

    static Run runOnce(Options o) throws Exception {
        double idleKb = Double.NaN;
        if (o.idle() > 0) {
            try (ServerChild server = ServerChild.start(o.server(), o.ioThreads(), false); LoadGen gen = LoadGen.start(server.port(), false)) {
                idleKb = idleHeap(o, server, gen);
            }
        }
        try (ServerChild server = ServerChild.start(o.server(), o.ioThreads(), o.instruments());
             LoadGen gen = LoadGen.start(server.port(), o.instruments())) {
            gen.openSender();
            gen.open(o.clients());
            gen.awaitReady(o.clients() + 1, Duration.ofSeconds(60));
            server.awaitSockets(o.clients() + 1, Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT, "fan-out: %d receivers and 1 sender connected%s%n", o.clients(),
                    o.instruments() ? "; instruments on (a line under each step)" : "");
            System.out.printf(Locale.ROOT, "%8s %11s %12s %9s %9s %9s %6s %8s %14s %11s %15s %11s %6s%n", "events/s", "offered/s",
                    "delivered/s", "p50", "p99", "max", "lost", "late", "server us/dlv", "(of it sys)", "loadgen us/dlv", "send lag", "load");
            Step warm = step(gen, server, o.rate(), o.warmup(), o.clients());
            BenchReport.printStep(warm, "warm-up");
            Step fixed = step(gen, server, o.rate(), o.seconds(), o.clients());
            BenchReport.printStep(fixed, "fixed rate");
            List<Step> rising = new ArrayList<>();
            if (fixed.keptUp()) {
                int seconds = Math.max(3, o.seconds() / 2);
                for (int tenths : RISING_TENTHS) {
                    int rate = (int) Math.min(Integer.MAX_VALUE, (long) o.rate() * tenths / 10);
                    if (rate > o.maxRate()) {
                        break;
                    }
                    Step s = step(gen, server, rate, seconds, o.clients());
                    rising.add(s);
                    BenchReport.printStep(s, s.keptUp() ? "" : "fell behind");
                    if (!s.keptUp()) {
                        break;
                    }
                }
            } else {
                // Behind at the fixed rate: step down to find the rate it does sustain on this machine now.
                int seconds = Math.max(3, o.seconds() / 2);
                for (int percent : new int[] {75, 50, 25, 10}) {
                    int rate = Math.max(1, o.rate() * percent / 100);
                    Step s = step(gen, server, rate, seconds, o.clients());
                    rising.add(s);
                    BenchReport.printStep(s, s.keptUp() ? "kept up (stepping down)" : "fell behind (stepping down)");
                    if (s.keptUp() || rate == 1) {
                        break;
                    }
                }
            }
            Run run = new Run(idleKb, o.idle(), fixed, rising);
            System.out.printf(Locale.ROOT, "sustained: %,d deliveries/s (highest offered rate with p99 < 100 ms, >= 95%% delivered/s, "
                    + "no loss)%n", run.sustainedPerSecond());
            return run;
        }
    }

    static double idleHeap(Options o, ServerChild server, LoadGen gen) throws Exception {
        // warm the server's connection code up, so class loading and JIT data do not count as per-connection heap
        gen.open(200);
        gen.awaitReady(200, Duration.ofSeconds(30));
        server.awaitSockets(200, Duration.ofSeconds(30));
        gen.closeAll();
        server.awaitSockets(0, Duration.ofSeconds(30));
        long[] before = server.usedHeapAfterGc();
        long start = System.nanoTime();
        gen.open(o.idle());
        gen.awaitReady(200 + o.idle(), Duration.ofSeconds(120));
        server.awaitSockets(o.idle(), Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] after = server.usedHeapAfterGc();
        double kb = (after[0] - before[0]) / 1024.0 / o.idle();
        System.out.printf(Locale.ROOT, "idle: %,d connections opened in %.1f s; server heap after GC %,.1f MB -> %,.1f MB: %.2f KB per idle "
                        + "connection (direct buffers %,.1f MB -> %,.1f MB: %.2f KB per connection, not counted)%n",
                o.idle(), seconds, before[0] / 1048576.0, after[0] / 1048576.0, kb, before[1] / 1048576.0, after[1] / 1048576.0,
                (after[1] - before[1]) / 1024.0 / o.idle());
        return kb;
    }

    static Step step(LoadGen gen, ServerChild server, int rate, int seconds, int clients) throws Exception {
        long events = (long) rate * seconds;
        long expected = events * clients;
        long cpuBefore = server.cpuNanos();
        long sysBefore = server.systemCpuNanos();
        long[] probeBefore = server.probe();
        LoadGen.StepStats stats = gen.runStep(rate, events, expected, Duration.ofSeconds(seconds + Math.max(10, seconds)));
        long cpuAfter = server.cpuNanos();
        long sysAfter = server.systemCpuNanos();
        long[] probeAfter = server.probe();
        long delivered = stats.delivered();
        // Behind: wait for the rest while it keeps coming (bounded), to tell late deliveries from lost ones.
        long late = delivered < expected ? gen.awaitDelivered(expected, Duration.ofSeconds(3), Duration.ofSeconds(180)) - delivered : 0;
        double elapsed = Math.max(1, stats.lastDelivery() - stats.start()) / 1e9;
        double perSecond = delivered / elapsed;
        long offered = (long) rate * clients;
        double serverMicros = delivered == 0 ? Double.NaN : (cpuAfter - cpuBefore) / 1000.0 / delivered;
        double serverSysMicros = delivered == 0 || sysBefore < 0 ? Double.NaN : (sysAfter - sysBefore) / 1000.0 / delivered;
        double genMicros = delivered == 0 ? Double.NaN : stats.loadgenCpu() / 1000.0 / delivered;
        long p99 = stats.histogram().percentile(99);
        boolean keptUp = delivered == expected && perSecond >= 0.95 * offered && p99 < BEHIND_P99_NANOS;
        if (late > 0 && delivered + late < expected) {
            System.out.printf(Locale.ROOT, "  (%,d deliveries missing: none arrived for 3 s, or 180 s passed after the step's deadline)%n",
                    expected - delivered - late);
        }
        return new Step(rate, offered, events, expected, delivered, late, perSecond, stats.histogram().percentile(50), p99,
                stats.histogram().max(), serverMicros, serverSysMicros, genMicros, stats.senderLag().max(), loadAverage(), keptUp,
                Instruments.of(probeBefore, probeAfter, stats.receiveNanos(), stats.end() - stats.start(), cpuAfter - cpuBefore));
    }

    /** The 1-minute load average: on a shared machine, other work shows up in the latency figures. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
