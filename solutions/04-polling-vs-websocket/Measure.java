import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import relaylab.httpchat.ChatUser;
import relaylab.workbook.Exercise;

/**
 * Lesson 04's workload and command line: drives the messages of a scenario, waits for their
 * deliveries, and runs the demo (check the instruments, warm up, run each transport, print the
 * table, the verdicts and the chart). Nothing to write here; PollingVsWebSocket.main runs it.
 */
final class Measure {

    private Measure() {
    }

    /**
     * Sends the workload's messages, users taking turns; returns how many were sent. The time is cut
     * into slots of 1 / rate seconds and each message goes out at a random moment in its slot: the rate
     * is exact, and message times do not keep step with the short-polling interval (at a rate of 0.5
     * and an interval of 500 ms, fixed times would meet every poll at the same point of its wait).
     */
    static int drive(List<ChatUser> users, PollingVsWebSocket.Workload workload) throws IOException, InterruptedException {
        long slot = (long) (1e9 / workload.messagesPerSecond());
        long start = System.nanoTime();
        int sent = 0;
        for (long from = start; from - start < workload.duration().toNanos(); from += slot) {
            sleepUntil(from + ThreadLocalRandom.current().nextLong(slot));
            users.get(sent % users.size()).send("message " + (sent + 1));
            sent++;
            sleepUntil(from + slot);
        }
        return sent;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long early = nanoTime - System.nanoTime();
        if (early > 0) {
            Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
        }
    }

    /** Waits until {@code expected} deliveries were recorded, or the deadline passes (what arrived late is lost). */
    static void awaitDeliveries(List<Long> latencies, int expected, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (latencies.size() < expected && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    @Command(name = "lesson04", mixinStandardHelpOptions = true, version = "Relay Lab lesson 04",
            description = "Runs one chat workload over short polling, long polling and WebSocket and compares them.")
    static class Options implements Callable<Integer> {
        @Option(names = "--seconds", defaultValue = "5", description = "How long each transport runs (default ${DEFAULT-VALUE}).")
        int seconds;
        @Option(names = "--users", defaultValue = "3", description = "Simulated users, at least 2 (default ${DEFAULT-VALUE}).")
        int users;
        @Option(names = "--interval", defaultValue = "500", description = "Short polling: ms between requests (default ${DEFAULT-VALUE}).")
        int interval;
        @Option(names = "--rate", defaultValue = "5", description = "Messages per second, all users together (default ${DEFAULT-VALUE}).")
        double rate;
        @Option(names = "--chart", description = "Where to write the chart (default: relaylab-04/polling-vs-websocket.html in the temp folder).")
        Path chart = Path.of(System.getProperty("java.io.tmpdir"), "relaylab-04", "polling-vs-websocket.html");
        @Spec
        CommandSpec spec;

        /** Checks the ranges picocli cannot, then runs the demo; a bad value exits with status 2. */
        @Override
        public Integer call() {
            if (users < 2 || seconds < 1 || interval < 1 || !(rate > 0 && rate <= 1000)) {
                throw new ParameterException(spec.commandLine(), "need --users 2 or more, --seconds 1 or more,"
                        + " --interval 1 or more and --rate above 0 (at most 1000 messages per second)");
            }
            Exercise.run(PollingVsWebSocket.class, () -> demo(this));
            return 0;
        }
    }

    static void demo(Options options) throws Exception {
        System.out.println("Checking the instruments first:");
        List<Long> oneToHundred = LongStream.rangeClosed(1, 100).boxed().toList();
        System.out.printf("  percentile: p50 and p99 of 1, 2, ... 100 are %d and %d%n",
                PollingVsWebSocket.percentile(oneToHundred, 50), PollingVsWebSocket.percentile(oneToHundred, 99));
        LongAdder counted = new LongAdder();
        PollingVsWebSocket.pump(new ByteArrayInputStream(new byte[4096]), OutputStream.nullOutputStream(), counted);
        System.out.printf("  wire meter: pumping 4096 bytes counted %d%n", counted.sum());
        System.out.printf("%nOne chat, three transports: %d users, %.1f messages/s together, %d s each,"
                + " short polling every %d ms%n", options.users, options.rate, options.seconds, options.interval);
        PollingVsWebSocket.Workload workload = new PollingVsWebSocket.Workload(options.users, options.rate,
                Duration.ofSeconds(options.seconds), Duration.ofMillis(options.interval));
        System.out.println("  warming up (a short run of each transport, not measured: the first run of any Java code is slow)");
        for (Transport transport : Transport.values()) {
            PollingVsWebSocket.runScenario(transport,
                    new PollingVsWebSocket.Workload(options.users, 10, Duration.ofMillis(600), workload.interval()));
        }
        List<PollingVsWebSocket.Result> results = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            System.out.printf("  running %s ...%n", transport.label());
            results.add(PollingVsWebSocket.runScenario(transport, workload));
        }
        System.out.printf("%n%-14s %9s %9s %9s %9s %10s %10s %9s %9s%n", "transport", "delivered", "p50 ms", "p99 ms",
                "requests", "bytes up", "bytes down", "bytes/msg", "CPU ms");
        for (PollingVsWebSocket.Result r : results) {
            System.out.printf("%-14s %4d/%-4d %9.1f %9.1f %9d %10d %10d %9.0f %9.0f%n", r.transport().label(),
                    r.latencies().size(), r.messages() * (options.users - 1), r.p50Millis(), r.p99Millis(), r.requests(),
                    r.bytesUp(), r.bytesDown(), r.bytesPerMessage(), r.serverCpuNanos() / 1e6);
        }
        System.out.println();
        for (PollingVsWebSocket.Verdict v : PollingVsWebSocket.compare(results)) {
            if (v.transport() != Transport.WEBSOCKET) {
                System.out.printf("%s: %.0fx WebSocket's median latency, %.1fx its bytes per message, %.1f HTTP requests"
                        + " per message%n", v.transport().label(), v.slowerBy(), v.moreBytesBy(), v.requestsPerMessage());
            }
        }
        Path chart = Chart.write(results, workload, options.chart);
        System.out.println("\nChart: " + chart.toUri() + " (open it in a browser)");
    }
}
