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
        // TODO 1: nearest rank: sort a copy, take the value at rank ceil(p / 100 * n); refuse bad input (task 1)
        throw new UnsupportedOperationException("TODO 1: compute a percentile");
    }

    @Task(number = 2, title = "Count the bytes on the wire",
            hint = "Loop: n = from.read(buffer); stop at -1; to.write(buffer, 0, n) and to.flush() at once (holding bytes"
                    + " back would add latency); counter.add(n). Return the total. Count what you pass on, nothing else.")
    static long pump(InputStream from, OutputStream to, LongAdder counter) throws IOException {
        // TODO 2: copy from -> to until the end of the stream, flushing each chunk, counting it in counter (task 2)
        throw new UnsupportedOperationException("TODO 2: count the bytes on the wire");
    }

    @Task(number = 3, title = "Run one scenario",
            hint = "Start ChatServer.start(new MemoryBoard(), 0) and a new WireMeter(server.port()); join every user through"
                    + " meter.url() with an inbox that adds System.nanoTime() - message.sentAt() to latencies. Only then"
                    + " read requests, bytes and CPU (the baseline), Measure.drive(), Measure.awaitDeliveries(), and"
                    + " subtract the baseline."
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

    public static void main(String[] args) {
        System.exit(new CommandLine(new Measure.Options()).execute(args));
    }
}
