///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Xmx1g
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../realtime/*.java
//SOURCES ../realtime/client/*.java
//SOURCES ../realtime/internal/*.java
//SOURCES ../realtime/protocol/*.java
//SOURCES RawFanOutServer.java

package relaylab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import relaylab.realtime.RealtimeServer;

/**
 * Fan-out benchmark of relaylab's realtime server: {@code ./jbang bench} (options: --clients, --rate,
 * --seconds, --warmup, --idle, --max-rate, --runs, --server, --io-threads; --help lists them).
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

    record Options(int clients, int rate, int seconds, int warmup, int idle, int maxRate, int runs, String server, int ioThreads) {
    }

    /**
     * One step's figures. {@code delivered} arrived before the step's deadline (its length plus a drain time);
     * {@code late} arrived after that (waiting while deliveries keep coming, at most 180 s); {@code lost} did
     * not arrive: no delivery for 3 s while some were missing, or 180 s passed (then: lost or still queued).
     */
    record Step(int rate, long offeredPerSecond, long events, long expected, long delivered, long late, double deliveredPerSecond,
                long p50, long p99, long max, double serverMicros, double serverSysMicros, double loadgenMicros, long senderLagMax,
                String load, boolean keptUp) {
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

        @Override
        public Integer call() throws Exception {
            Options options = new Options(within("--clients", clients, 1, 20_000), within("--rate", rate, 1, 100_000),
                    within("--seconds", seconds, 1, 600), within("--warmup", warmup, 1, 600),
                    within("--idle", idle, 0, 50_000),
                    within("--max-rate", maxRate, 1, 100_000), within("--runs", runs, 1, 10), server,
                    within("--io-threads", ioThreads, 0, 64));
            if (!server.equals("relaylab") && !server.equals("raw") && !server.equals("raw-coalesced")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--server is relaylab, raw or raw-coalesced, not \"" + server + "\"");
            }
            if (!checkFileLimit(options)) {
                return 2;
            }
            printEnvironment(options);
            List<Run> results = new ArrayList<>();
            for (int i = 1; i <= options.runs(); i++) {
                System.out.printf(Locale.ROOT, "%n=== run %d of %d ===%n", i, options.runs());
                results.add(runOnce(options));
            }
            if (results.size() > 1) {
                printMedians(options, results);
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
                    default -> "relaylab RealtimeServer, " + (o.ioThreads() == 0 ? "default I/O threads" : o.ioThreads() + " I/O thread(s)");
                }
                + " in a child JVM " + String.join(" ", ServerChild.JVM_FLAGS)
                + "; CPU = its whole process (all threads, GC, JIT) over each step");
    }

    // ------------------------------------------------------------------ one run

    static Run runOnce(Options o) throws Exception {
        double idleKb = Double.NaN;
        if (o.idle() > 0) {
            try (ServerChild server = ServerChild.start(o.server(), o.ioThreads()); LoadGen gen = LoadGen.start(server.port())) {
                idleKb = idleHeap(o, server, gen);
            }
        }
        try (ServerChild server = ServerChild.start(o.server(), o.ioThreads()); LoadGen gen = LoadGen.start(server.port())) {
            gen.openSender();
            gen.open(o.clients());
            gen.awaitReady(o.clients() + 1, Duration.ofSeconds(60));
            server.awaitSockets(o.clients() + 1, Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT, "fan-out: %d receivers and 1 sender connected%n", o.clients());
            System.out.printf(Locale.ROOT, "%8s %11s %12s %9s %9s %9s %6s %8s %14s %11s %15s %11s %6s%n", "events/s", "offered/s",
                    "delivered/s", "p50", "p99", "max", "lost", "late", "server us/dlv", "(of it sys)", "loadgen us/dlv", "send lag", "load");
            Step warm = step(gen, server, o.rate(), o.warmup(), o.clients());
            printStep(warm, "warm-up");
            Step fixed = step(gen, server, o.rate(), o.seconds(), o.clients());
            printStep(fixed, "fixed rate");
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
                    printStep(s, s.keptUp() ? "" : "fell behind");
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
                    printStep(s, s.keptUp() ? "kept up (stepping down)" : "fell behind (stepping down)");
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
        LoadGen.StepStats stats = gen.runStep(rate, events, expected, Duration.ofSeconds(seconds + Math.max(10, seconds)));
        long cpuAfter = server.cpuNanos();
        long sysAfter = server.systemCpuNanos();
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
                stats.histogram().max(), serverMicros, serverSysMicros, genMicros, stats.senderLag().max(), loadAverage(), keptUp);
    }

    /** The 1-minute load average: on a shared machine, other work shows up in the latency figures. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
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

    // ------------------------------------------------------------------ the server, in a child JVM

    /** The realtime server under test, alone in its own JVM; driven through stdin/stdout lines. */
    static final class ServerChild implements AutoCloseable {
        static final List<String> JVM_FLAGS = List.of("-Xmx2g", "-XX:+UseG1GC");
        private final Process process;
        private final OutputStream stdin;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final int port;

        private ServerChild(Process process) throws IOException, InterruptedException {
            this.process = process;
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("error reading the server's output: " + e);
                }
            }, "bench-server-output");
            reader.setDaemon(true);
            reader.start();
            this.port = Integer.parseInt(expect("port ", Duration.ofSeconds(30)));
            System.out.println("server pid " + process.pid() + " (attach a profiler to it if you like), port " + port);
        }

        static ServerChild start(String kind, int ioThreads) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JVM_FLAGS);
            String extra = System.getenv("RELAYLAB_BENCH_SERVER_OPTS"); // e.g. -XX:StartFlightRecording=filename=server.jfr
            if (extra != null && !extra.isBlank()) {
                command.addAll(List.of(extra.trim().split("\\s+")));
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(FanOutBench.class.getName());
            command.add(SERVE_FLAG);
            command.add(kind);
            command.add(String.valueOf(ioThreads));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new ServerChild(p);
        }

        int port() {
            return port;
        }

        /** CPU time of the whole server process so far (user + system, all threads). */
        long cpuNanos() {
            return process.info().totalCpuDuration().map(Duration::toNanos)
                    .orElseThrow(() -> new IllegalStateException("this system does not report a process's CPU time"));
        }

        /**
         * The system (kernel) part of {@link #cpuNanos()}, from /proc/PID/stat; -1 where there is no /proc.
         * Kernel time is mostly the socket writes, which on loopback include delivering to the receiver.
         */
        long systemCpuNanos() {
            try {
                String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[12]) * 10_000_000L; // stime, field 15, in clock ticks of 10 ms
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** GCs the server, then returns {used heap bytes, direct (off-heap) buffer bytes}. */
        long[] usedHeapAfterGc() throws IOException, InterruptedException {
            send("heap");
            String[] parts = expect("heap ", Duration.ofSeconds(60)).split(" ");
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        }

        /** Bytes of direct (off-heap) NIO buffers in use in this JVM: pooled I/O buffers live there, not on the heap. */
        static long directBytes() {
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    return pool.getMemoryUsed();
                }
            }
            return -1;
        }

        void awaitSockets(int count, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            int last = -1;
            while (System.nanoTime() < deadline) {
                send("sockets");
                last = Integer.parseInt(expect("sockets ", Duration.ofSeconds(10)));
                if (last == count) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(50); // polling another process, bounded by the deadline
            }
            throw new IllegalStateException("the server has " + last + " connected sockets, expected " + count + " within " + timeout);
        }

        private void send(String command) throws IOException {
            stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        private String expect(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new IllegalStateException("the server child did not answer \"" + prefix.trim() + "\" within " + timeout
                            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
                }
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
                System.out.println("server: " + line);
            }
        }

        @Override
        public void close() throws InterruptedException {
            try {
                send("quit");
                stdin.close();
            } catch (IOException e) {
                System.err.println("bench: could not ask the server to quit (" + e.getMessage() + "); killing it");
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        }

        /** The child's main: a RealtimeServer that re-broadcasts "chat" to everyone but the sender. */
        static void serve(String kind, int ioThreads) throws IOException {
            Logger root = Logger.getLogger("");
            root.setLevel(Level.WARNING);
            for (java.util.logging.Handler h : root.getHandlers()) {
                h.setLevel(Level.WARNING);
            }
            if (kind.startsWith("raw")) {
                serveRaw(kind.equals("raw-coalesced"));
                return;
            }
            RealtimeServer server = RealtimeServer.create(cfg -> cfg.ioThreads(ioThreads)).start(0);
            server.on("connection", socket -> socket.on("chat", (args, ack) -> socket.broadcast().emit("chat", args.get(0))));
            System.out.println("port " + server.port());
            System.out.flush();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    switch (line.trim()) {
                        case "heap" -> {
                            for (int i = 0; i < 4; i++) {
                                System.gc();
                            }
                            System.out.println("heap " + memory.getHeapMemoryUsage().getUsed() + " " + directBytes());
                        }
                        case "sockets" -> System.out.println("sockets " + server.sockets().size());
                        case "quit" -> {
                            server.stop();
                            return;
                        }
                        default -> System.out.println("unknown command " + line);
                    }
                    System.out.flush();
                }
            } finally {
                server.stop();
            }
        }

        private static void serveRaw(boolean coalesce) throws IOException {
            RawFanOutServer raw = new RawFanOutServer(coalesce);
            Thread thread = new Thread(raw, "raw-fan-out");
            thread.start();
            System.out.println("port " + raw.port());
            System.out.flush();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
                    switch (line.trim()) {
                        case "heap" -> {
                            for (int i = 0; i < 4; i++) {
                                System.gc();
                            }
                            System.out.println("heap " + memory.getHeapMemoryUsage().getUsed() + " " + directBytes());
                        }
                        case "sockets" -> System.out.println("sockets " + raw.sockets());
                        default -> System.out.println("unknown command " + line);
                    }
                    System.out.flush();
                }
            } finally {
                raw.stop();
            }
        }
    }

    // ------------------------------------------------------------------ the load generator: one selector thread

    /**
     * Every client connection, and the sender, on one NIO selector thread. Per received frame it reads the
     * WebSocket header and, for a chat event, the "ts" number; it never builds a String for a delivery.
     */
    static final class LoadGen implements AutoCloseable, Runnable {
        record StepStats(long start, long lastDelivery, long delivered, long loadgenCpu, Histogram histogram,
                         Histogram senderLag) {
        }

        private static final int MAX_CONNECTING = 256;
        private static final byte[] TS_KEY = "\"ts\":".getBytes(StandardCharsets.US_ASCII);
        private static final String CHAT_TEXT = "hello everyone, this is a small chat message";

        private final InetSocketAddress server;
        private final Selector selector;
        private final Thread thread;
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final byte[] request;
        private final List<Conn> conns = new ArrayList<>();
        private volatile boolean running = true;
        private volatile Throwable failure;

        // only touched by the selector thread, published through the monitor
        private int toOpen;
        private int connecting;
        private volatile int ready;
        private volatile int failed;
        private Conn sender;
        private boolean sending;
        private int rate;
        private long events;
        private long sent;
        private long stepStart;
        private long expected;
        private volatile long delivered; // read by awaitDelivered; one writer, so ++ is safe
        private long lastDelivery;
        private long cpuAtStart;
        private Histogram histogram = new Histogram();
        private Histogram senderLag = new Histogram();
        private volatile long drainTarget = Long.MAX_VALUE;
        private StepStats finished;

        private LoadGen(int port) throws IOException {
            this.server = new InetSocketAddress("127.0.0.1", port);
            this.selector = Selector.open();
            this.request = ("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: cmVsYXlsYWItYmVuY2gtMQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            this.thread = new Thread(this, "bench-loadgen");
            this.thread.setDaemon(true);
        }

        static LoadGen start(int port) throws IOException {
            LoadGen gen = new LoadGen(port);
            gen.thread.start();
            return gen;
        }

        // ---- called from the main thread

        void open(int n) {
            submit(() -> toOpen += n);
        }

        void openSender() {
            submit(() -> {
                try {
                    sender = connect();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        void closeAll() {
            submit(() -> {
                for (Conn c : conns) {
                    c.close();
                }
                conns.clear();
            });
        }

        synchronized void awaitReady(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ready < n) {
                check();
                if (failed > 0) {
                    throw new IllegalStateException(failed + " connections failed (refused or closed) while opening " + n);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("only " + ready + " of " + n + " connections were ready within " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** Sends {@code events} at {@code rate} and waits until {@code expected} deliveries arrived or the deadline. */
        StepStats runStep(int stepRate, long stepEvents, long stepExpected, Duration timeout) throws InterruptedException {
            synchronized (this) {
                finished = null;
            }
            submit(() -> {
                histogram = new Histogram();
                senderLag = new Histogram();
                rate = stepRate;
                events = stepEvents;
                sent = 0;
                expected = stepExpected;
                delivered = 0;
                lastDelivery = 0;
                cpuAtStart = threads.getCurrentThreadCpuTime();
                stepStart = System.nanoTime();
                sending = true;
            });
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (this) {
                while (finished == null) {
                    check();
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                if (finished != null) {
                    return finished;
                }
            }
            // Deadline: take what arrived; the missing deliveries count as lost.
            submit(this::finishStep);
            synchronized (this) {
                while (finished == null) {
                    check();
                    wait(1000);
                }
                return finished;
            }
        }

        /**
         * After a step missed its deadline: waits until {@code target} deliveries in all, as long as they keep
         * coming (no new one for {@code quiet} means the rest is lost) and at most {@code timeout}; returns the count.
         */
        synchronized long awaitDelivered(long target, Duration quiet, Duration timeout) throws InterruptedException {
            drainTarget = target;
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastCount = delivered;
            long lastProgress = System.nanoTime();
            while (delivered < target) {
                check();
                long now = System.nanoTime();
                if (delivered != lastCount) {
                    lastCount = delivered;
                    lastProgress = now;
                }
                if (now - deadline >= 0 || now - lastProgress >= quiet.toNanos()) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, TimeUnit.MILLISECONDS.toNanos(200));
            }
            drainTarget = Long.MAX_VALUE;
            return delivered;
        }

        private void check() {
            if (failure != null) {
                throw new IllegalStateException("the load generator failed: " + failure, failure);
            }
        }

        private void submit(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            selector.wakeup();
            thread.join(10_000);
        }

        // ---- the selector thread

        @Override
        public void run() {
            try {
                while (running) {
                    Runnable task;
                    while ((task = tasks.poll()) != null) {
                        task.run();
                    }
                    while (toOpen > 0 && connecting < MAX_CONNECTING) {
                        toOpen--;
                        connect();
                    }
                    long timeoutMs = 100;
                    if (sending) {
                        // wake up when the next event is due (rounded up to the selector's 1 ms resolution)
                        long due = stepStart + sent * 1_000_000_000L / rate;
                        long wait = due - System.nanoTime();
                        timeoutMs = wait <= 0 ? 0 : (wait + 999_999) / 1_000_000;
                    }
                    if (timeoutMs == 0) {
                        selector.selectNow(this::onReady);
                    } else {
                        selector.select(this::onReady, timeoutMs);
                    }
                    if (sending) {
                        sendDue();
                    }
                }
            } catch (Throwable t) {
                failure = t;
                synchronized (this) {
                    notifyAll();
                }
            } finally {
                for (Conn c : conns) {
                    c.close();
                }
                if (sender != null) {
                    sender.close();
                }
                try {
                    selector.close();
                } catch (IOException e) {
                    System.err.println("bench: closing the selector failed: " + e);
                }
            }
        }

        private Conn connect() throws IOException {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Conn c = new Conn(ch);
            connecting++;
            if (ch.connect(server)) {
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                c.write(ByteBuffer.wrap(request));
            } else {
                c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
            conns.add(c);
            return c;
        }

        private void sendDue() throws IOException {
            long now = System.nanoTime();
            while (sent < events) {
                long due = stepStart + sent * 1_000_000_000L / rate;
                if (due > now) {
                    break;
                }
                long ts = System.nanoTime();
                senderLag.record(ts - due);
                String text = "42[\"chat\",{\"ts\":" + ts + ",\"seq\":" + sent + ",\"text\":\"" + CHAT_TEXT + "\"}]";
                sender.write(maskedTextFrame(text.getBytes(StandardCharsets.US_ASCII)));
                sent++;
            }
            if (sent >= events) {
                sending = false;
            }
        }

        private void finishStep() {
            sending = false;
            long cpu = threads.getCurrentThreadCpuTime() - cpuAtStart;
            StepStats stats = new StepStats(stepStart, lastDelivery, delivered, cpu, histogram, senderLag);
            expected = Long.MAX_VALUE;
            synchronized (this) {
                finished = stats;
                notifyAll();
            }
        }

        private void onReady(SelectionKey key) {
            Conn c = (Conn) key.attachment();
            try {
                if (key.isConnectable()) {
                    c.ch.finishConnect();
                    key.interestOps(SelectionKey.OP_READ);
                    c.write(ByteBuffer.wrap(request));
                }
                if (key.isValid() && key.isWritable()) {
                    c.flush();
                }
                if (key.isValid() && key.isReadable()) {
                    read(c);
                }
            } catch (IOException e) {
                c.close();
                c.lost(this);
            }
        }

        private void read(Conn c) throws IOException {
            int n = c.ch.read(c.in);
            if (n < 0) {
                c.close();
                c.lost(this);
                return;
            }
            long now = System.nanoTime();
            ByteBuffer in = c.in;
            in.flip();
            if (c.state == Conn.HTTP) {
                int end = headerEnd(in);
                if (end < 0) {
                    // not complete yet: keep the bytes and let the next read append
                    in.position(in.limit());
                    in.limit(in.capacity());
                    if (!in.hasRemaining()) {
                        throw new IOException("HTTP upgrade answer too long");
                    }
                    return;
                }
                if (in.get(9) != '1' || in.get(10) != '0' || in.get(11) != '1') {
                    throw new IOException("the server did not switch to WebSocket");
                }
                in.position(end);
                c.state = Conn.WS;
            }
            while (in.remaining() >= 2) {
                int p = in.position();
                int b0 = in.get(p) & 0xff;
                int len = in.get(p + 1) & 0x7f;
                int header = 2;
                if (len == 126) {
                    if (in.remaining() < 4) {
                        break;
                    }
                    len = ((in.get(p + 2) & 0xff) << 8) | (in.get(p + 3) & 0xff);
                    header = 4;
                } else if (len == 127) {
                    if (in.remaining() < 10) {
                        break;
                    }
                    len = (int) in.getLong(p + 2);
                    header = 10;
                }
                if (in.remaining() < header + len) {
                    if (header + len > in.capacity()) {
                        c.grow(header + len);
                        in = c.in;
                    }
                    break;
                }
                frame(c, b0 & 0x0f, p + header, len, now);
                in.position(p + header + len);
            }
            in.compact();
        }

        private static int headerEnd(ByteBuffer in) {
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    return i + 4;
                }
            }
            return -1;
        }

        private void frame(Conn c, int opcode, int at, int len, long now) throws IOException {
            ByteBuffer in = c.in;
            if (opcode == 0x8) {
                throw new IOException("the server closed the WebSocket");
            }
            if (opcode == 0x9) {
                byte[] payload = new byte[len];
                in.get(at, payload);
                c.write(maskedFrame(0xA, payload));
                return;
            }
            if (opcode != 0x1 || len == 0) {
                return;
            }
            byte eio = in.get(at);
            if (eio == '4' && len >= 2) {
                byte sio = in.get(at + 1);
                if (sio == '2') {
                    long ts = timestamp(in, at, len);
                    long latency = now - ts;
                    histogram.record(latency);
                    delivered++;
                    if (delivered == drainTarget) {
                        synchronized (this) {
                            notifyAll();
                        }
                    }
                    lastDelivery = now;
                    if (delivered >= expected) {
                        finishStep();
                    }
                } else if (sio == '0') {
                    connecting--;
                    ready++;
                    synchronized (this) {
                        notifyAll();
                    }
                } else if (sio == '4') {
                    connecting--;
                    failed++;
                }
            } else if (eio == '2') {
                byte[] pong = new byte[len];
                in.get(at, pong);
                pong[0] = '3';
                c.write(maskedTextFrame(pong));
            } else if (eio == '0') {
                c.write(maskedTextFrame(new byte[] {'4', '0'}));
            }
        }

        /** The number after "ts": in the event's JSON; only these bytes of a delivery are read. */
        private static long timestamp(ByteBuffer in, int at, int len) throws IOException {
            int end = at + len;
            outer:
            for (int i = at; i + TS_KEY.length < end; i++) {
                for (int k = 0; k < TS_KEY.length; k++) {
                    if (in.get(i + k) != TS_KEY[k]) {
                        continue outer;
                    }
                }
                long v = 0;
                for (int j = i + TS_KEY.length; j < end; j++) {
                    byte b = in.get(j);
                    if (b < '0' || b > '9') {
                        break;
                    }
                    v = v * 10 + (b - '0');
                }
                return v;
            }
            throw new IOException("a chat event without a timestamp");
        }

        static ByteBuffer maskedTextFrame(byte[] payload) {
            return maskedFrame(0x1, payload);
        }

        /** A client frame; the mask key is 0 (allowed by RFC 6455), so the payload bytes stay as they are. */
        static ByteBuffer maskedFrame(int opcode, byte[] payload) {
            int len = payload.length;
            ByteBuffer b = ByteBuffer.allocate(len + 8 + 4);
            b.put((byte) (0x80 | opcode));
            if (len < 126) {
                b.put((byte) (0x80 | len));
            } else if (len < 65536) {
                b.put((byte) (0x80 | 126));
                b.putShort((short) len);
            } else {
                b.put((byte) (0x80 | 127));
                b.putLong(len);
            }
            b.putInt(0);
            b.put(payload);
            b.flip();
            return b;
        }

        /** One client connection of the load generator. */
        static final class Conn {
            static final int HTTP = 0;
            static final int WS = 1;
            final SocketChannel ch;
            SelectionKey key;
            ByteBuffer in = ByteBuffer.allocateDirect(4096);
            ByteBuffer out;
            int state = HTTP;
            boolean closed;

            Conn(SocketChannel ch) {
                this.ch = ch;
            }

            void write(ByteBuffer data) throws IOException {
                if (out != null && out.position() > 0) {
                    append(data);
                    return;
                }
                ch.write(data);
                if (data.hasRemaining()) {
                    append(data);
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                }
            }

            private void append(ByteBuffer data) {
                out = RawFanOutServer.appendTo(out, data, 8192);
            }

            void flush() throws IOException {
                if (out == null) {
                    key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
                    return;
                }
                out.flip();
                ch.write(out);
                out.compact();
                if (out.position() == 0) {
                    key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
                }
            }

            void grow(int size) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(Integer.highestOneBit(size) * 2);
                bigger.put(in);
                in = bigger;
                in.flip();
            }

            void lost(LoadGen gen) {
                gen.failed++;
            }

            void close() {
                closed = true;
                try {
                    ch.close();
                } catch (IOException e) {
                    System.err.println("bench: closing a connection failed: " + e);
                }
            }
        }
    }

    /** Latency counts in 10 us buckets up to 10 s (beyond: the last bucket), plus the exact maximum. */
    static final class Histogram {
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
}
