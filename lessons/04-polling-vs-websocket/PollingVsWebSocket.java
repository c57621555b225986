///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/http/*.java
//SOURCES WireMeter.java
//SOURCES Chart.java

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import relaylab.http.ChatServer;
import relaylab.http.ChatUser;
import relaylab.http.MemoryBoard;
import relaylab.http.Transport;
import relaylab.workbook.Exercise;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 04: the same chat, three ways (short polling, long polling, WebSocket), measured side by
 * side on loopback: how late messages arrive, how many requests and bytes they cost, and how busy
 * the server was.
 */
@Lesson(number = 4, title = "Polling vs WebSocket",
        summary = "Measure one chat workload over short polling, long polling and WebSocket: latency, requests, bytes, CPU.")
public class PollingVsWebSocket {

    /** What every transport is put through: the same users sending at the same rate for the same time. */
    record Workload(int users, double messagesPerSecond, Duration duration, Duration interval) {
    }

    /** What one transport did with the workload. Latencies are in nanoseconds, one per delivery. */
    record Result(Transport transport, int messages, List<Long> latencies, long requests, long bytesUp, long bytesDown,
            long serverCpuNanos) {
        double p50Millis() {
            return percentile(latencies, 50) / 1e6;
        }

        double p99Millis() {
            return percentile(latencies, 99) / 1e6;
        }

        double bytesPerMessage() {
            return (bytesUp + bytesDown) / (double) messages;
        }
    }

    /** One transport next to the WebSocket baseline. */
    record Verdict(Transport transport, double slowerBy, double moreBytesBy, double requestsPerMessage) {
    }

    @Task(number = 1, title = "Compute a percentile",
            hint = "Nearest rank: sort a copy, rank = ceil(p / 100 * n), answer sorted.get(rank - 1). p50 is the median,"
                    + " p99 the value 99% of samples are at or below. Throw IllegalArgumentException for no samples or"
                    + " p outside (0, 100].")
    static long percentile(List<Long> samples, double p) {
        // TODO 1: nearest rank: sort a copy, take the value at rank ceil(p / 100 * n); refuse bad input (task 1)
        throw new UnsupportedOperationException("TODO 1: compute a percentile");
    }

    @Task(number = 3, title = "Run one scenario",
            hint = "Start a ChatServer(new MemoryBoard(), 0) and a WireMeter(server.port()); join every user through"
                    + " meter.url() with an inbox that adds System.nanoTime() - message.sentAt() to latencies. Only then"
                    + " read requests, bytes and CPU (the baseline), drive(), awaitDeliveries(), and subtract the baseline."
                    + " Close the users (finally) before the server and meter close.")
    static Result runScenario(Transport transport, Workload workload) throws IOException, InterruptedException {
        // TODO 3: start server + meter, join the users, take the baseline, drive, await deliveries, measure (task 3)
        throw new UnsupportedOperationException("TODO 3: run one scenario");
    }

    @Task(number = 4, title = "Compare with WebSocket",
            hint = "Find the WEBSOCKET result (IllegalArgumentException if there is none). For each result: slowerBy ="
                    + " its p50 / WebSocket's p50, moreBytesBy = its bytesPerMessage() / WebSocket's, requestsPerMessage ="
                    + " requests / messages. A p50 below 0.001 ms counts as 0.001 ms, so nothing divides by zero.")
    static List<Verdict> compare(List<Result> results) {
        // TODO 4: one Verdict per result: p50, bytes per message and requests per message against WebSocket's (task 4)
        throw new UnsupportedOperationException("TODO 4: compare with WebSocket");
    }

    /** Sends the workload's messages at its fixed rate, users taking turns; returns how many were sent. */
    static int drive(List<ChatUser> users, Workload workload) throws IOException, InterruptedException {
        long period = (long) (1e9 / workload.messagesPerSecond());
        long start = System.nanoTime();
        int sent = 0;
        for (long due = start; due - start < workload.duration().toNanos(); due += period) {
            long early = due - System.nanoTime();
            if (early > 0) {
                Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
            }
            users.get(sent % users.size()).send("message " + (sent + 1));
            sent++;
        }
        return sent;
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
        System.out.printf("  percentile: p50 and p99 of 1, 2, ... 100 are %d and %d%n", percentile(oneToHundred, 50),
                percentile(oneToHundred, 99));
        LongAdder counted = new LongAdder();
        WireMeter.pump(new ByteArrayInputStream(new byte[4096]), OutputStream.nullOutputStream(), counted);
        System.out.printf("  wire meter: pumping 4096 bytes counted %d%n", counted.sum());
        System.out.printf("%nOne chat, three transports: %d users, %.1f messages/s together, %d s each,"
                + " short polling every %d ms%n", options.users, options.rate, options.seconds, options.interval);
        Workload workload = new Workload(options.users, options.rate, Duration.ofSeconds(options.seconds),
                Duration.ofMillis(options.interval));
        System.out.println("  warming up (a short run of each transport, not measured: the first run of any Java code is slow)");
        for (Transport transport : Transport.values()) {
            runScenario(transport, new Workload(options.users, 10, Duration.ofMillis(600), workload.interval()));
        }
        List<Result> results = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            System.out.printf("  running %s ...%n", transport.label());
            results.add(runScenario(transport, workload));
        }
        System.out.printf("%n%-14s %9s %9s %9s %9s %10s %10s %9s %9s%n", "transport", "delivered", "p50 ms", "p99 ms",
                "requests", "bytes up", "bytes down", "bytes/msg", "CPU ms");
        for (Result r : results) {
            System.out.printf("%-14s %4d/%-4d %9.1f %9.1f %9d %10d %10d %9.0f %9.0f%n", r.transport().label(),
                    r.latencies().size(), r.messages() * (options.users - 1), r.p50Millis(), r.p99Millis(), r.requests(),
                    r.bytesUp(), r.bytesDown(), r.bytesPerMessage(), r.serverCpuNanos() / 1e6);
        }
        System.out.println();
        for (Verdict v : compare(results)) {
            if (v.transport() != Transport.WEBSOCKET) {
                System.out.printf("%s: %.0fx WebSocket's median latency, %.1fx its bytes per message, %.1f HTTP requests"
                        + " per message%n", v.transport().label(), v.slowerBy(), v.moreBytesBy(), v.requestsPerMessage());
            }
        }
        Path chart = Chart.write(results, workload, options.chart);
        System.out.println("\nChart: " + chart.toUri() + " (open it in a browser)");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Options()).execute(args));
    }
}
