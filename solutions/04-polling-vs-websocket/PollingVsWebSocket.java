///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/httpchat/*.java
//SOURCES WireMeter.java
//SOURCES Transport.java
//SOURCES MemoryBoard.java
//SOURCES Chart.java
//SOURCES Measure.java

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine;
import relaylab.httpchat.ChatServer;
import relaylab.httpchat.ChatUser;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 04: the same chat, three ways (short polling, long polling, WebSocket), measured side by
 * side on loopback: how late messages arrive, how many requests and bytes they cost, and how busy
 * the server was. All four tasks are here; WireMeter.java is the byte counter that runs your pump, Measure.java
 * drives the workload and prints the table, Chart.java draws it, Transport.java and MemoryBoard.java are the
 * finished chat.
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
        if (samples.isEmpty() || p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile " + p + " of " + samples.size()
                    + " samples: need at least one sample and 0 < p <= 100");
        }
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    @Task(number = 2, title = "Count the bytes on the wire",
            hint = "Loop: n = from.read(buffer); stop at -1; to.write(buffer, 0, n) and to.flush() at once (holding bytes"
                    + " back would add latency); counter.add(n). Return the total. Count what you pass on, nothing else.")
    static long pump(InputStream from, OutputStream to, LongAdder counter) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        for (int n = from.read(buffer); n != -1; n = from.read(buffer)) {
            to.write(buffer, 0, n);
            to.flush();
            counter.add(n);
            total += n;
        }
        return total;
    }

    @Task(number = 3, title = "Run one scenario",
            hint = "Start ChatServer.start(new MemoryBoard(), 0) and a new WireMeter(server.port()); join every user through"
                    + " meter.url() with an inbox that adds System.nanoTime() - message.sentAt() to latencies. Only then"
                    + " read requests, bytes and CPU (the baseline), Measure.drive(), Measure.awaitDeliveries(), and"
                    + " subtract the baseline."
                    + " Close the users (finally) before the server and meter close.")
    static Result runScenario(Transport transport, Workload workload) throws IOException, InterruptedException {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        try (ChatServer server = ChatServer.start(new MemoryBoard(), 0); WireMeter meter = new WireMeter(server.port())) {
            List<ChatUser> users = new ArrayList<>();
            try {
                for (int i = 1; i <= workload.users(); i++) {
                    users.add(transport.join(meter.url(), "user" + i, workload.interval(),
                            message -> latencies.add(System.nanoTime() - message.sentAt())));
                }
                long requests = server.requests();
                long up = meter.up();
                long down = meter.down();
                long cpu = server.cpuNanos();
                int sent = Measure.drive(users, workload);
                Measure.awaitDeliveries(latencies, sent * (workload.users() - 1), workload.interval().plusSeconds(10));
                return new Result(transport, sent, List.copyOf(latencies), server.requests() - requests, meter.up() - up,
                        meter.down() - down, server.cpuNanos() - cpu);
            } finally {
                users.forEach(ChatUser::close);
            }
        }
    }

    @Task(number = 4, title = "Compare with WebSocket",
            hint = "Find the WEBSOCKET result (IllegalArgumentException if there is none). For each result: slowerBy ="
                    + " its p50 / WebSocket's p50, moreBytesBy = its bytesPerMessage() / WebSocket's, requestsPerMessage ="
                    + " requests / messages. A p50 below 0.001 ms counts as 0.001 ms, so nothing divides by zero.")
    static List<Verdict> compare(List<Result> results) {
        Result websocket = results.stream().filter(r -> r.transport() == Transport.WEBSOCKET).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("compare() needs a WebSocket result as the baseline"));
        double baseline = Math.max(websocket.p50Millis(), 0.001);
        List<Verdict> verdicts = new ArrayList<>();
        for (Result result : results) {
            verdicts.add(new Verdict(result.transport(), Math.max(result.p50Millis(), 0.001) / baseline,
                    result.bytesPerMessage() / websocket.bytesPerMessage(), result.requests() / (double) result.messages()));
        }
        return verdicts;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Measure.Options()).execute(args));
    }
}
