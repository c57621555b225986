import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import relaylab.httpchat.ChatServer;

/** The scenario tests run first, in an order that spreads the runs over them (each test has 20 s). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PollingVsWebSocketTest {
    /** Short on purpose: 2 s per transport, 3 users, 10 messages per second, short polling every 500 ms. */
    private static final PollingVsWebSocket.Workload WORKLOAD =
            new PollingVsWebSocket.Workload(3, 10, Duration.ofSeconds(2), Duration.ofMillis(500));
    /** Each transport runs once per test run; the tests below read its result. */
    private static final Map<Transport, PollingVsWebSocket.Result> MEASURED = new EnumMap<>(Transport.class);

    private static boolean warm;

    private static synchronized PollingVsWebSocket.Result measured(Transport transport) throws Exception {
        if (!warm) {
            // the first run of any code path in a JVM is slow (class loading, no JIT yet): run each transport briefly first
            for (Transport each : Transport.values()) {
                PollingVsWebSocket.runScenario(each, new PollingVsWebSocket.Workload(3, 10, Duration.ofMillis(500),
                        WORKLOAD.interval()));
            }
            warm = true;
        }
        PollingVsWebSocket.Result result = MEASURED.get(transport);
        if (result == null) {
            result = PollingVsWebSocket.runScenario(transport, WORKLOAD);
            MEASURED.put(transport, result);
        }
        return result;
    }

    private static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    // task 1

    @Test
    @Tag("task:1")
    @DisplayName("p50 and p99 of 1, 2, ... 100 are 50 and 99, and p100 is the largest")
    void percentilesOfOneToHundred() {
        assertThat(PollingVsWebSocket.percentile(oneTo(100), 50)).as("p50 of 1..100").isEqualTo(50);
        assertThat(PollingVsWebSocket.percentile(oneTo(100), 99)).as("p99 of 1..100").isEqualTo(99);
        assertThat(PollingVsWebSocket.percentile(oneTo(100), 100)).as("p100 of 1..100").isEqualTo(100);
    }

    @Test
    @Tag("task:1")
    @DisplayName("percentile() sorts a copy: unsorted samples work and are left as they were")
    void percentileOfUnsortedSamples() {
        List<Long> samples = new ArrayList<>(List.of(30L, 10L, 50L, 20L, 40L));
        assertThat(PollingVsWebSocket.percentile(samples, 50)).as("p50 of [30, 10, 50, 20, 40]").isEqualTo(30);
        assertThat(PollingVsWebSocket.percentile(samples, 99)).as("p99 of [30, 10, 50, 20, 40]").isEqualTo(50);
        assertThat(samples).as("the samples after percentile() (it must not sort the caller's list)")
                .containsExactly(30L, 10L, 50L, 20L, 40L);
    }

    @Test
    @Tag("task:1")
    @DisplayName("nearest rank rounds up: one sample is every percentile, and p76 of four samples is the fourth")
    void percentileRoundsUp() {
        assertThat(PollingVsWebSocket.percentile(List.of(7L), 1)).as("p1 of [7]").isEqualTo(7);
        assertThat(PollingVsWebSocket.percentile(List.of(7L), 99)).as("p99 of [7]").isEqualTo(7);
        assertThat(PollingVsWebSocket.percentile(oneTo(4), 50)).as("p50 of [1, 2, 3, 4]").isEqualTo(2);
        assertThat(PollingVsWebSocket.percentile(oneTo(4), 76)).as("p76 of [1, 2, 3, 4]").isEqualTo(4);
    }

    @Test
    @Tag("task:1")
    @DisplayName("percentile() refuses an empty list and a p outside (0, 100]")
    void percentileRefusesBadInput() {
        assertThatThrownBy(() -> PollingVsWebSocket.percentile(List.of(), 50)).as("p50 of no samples")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PollingVsWebSocket.percentile(oneTo(3), 0)).as("p0")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PollingVsWebSocket.percentile(oneTo(3), 101)).as("p101")
                .isInstanceOf(IllegalArgumentException.class);
    }

    // task 2

    @Test
    @Tag("task:2")
    @DisplayName("pump() passes every byte on unchanged and counts exactly that many")
    void pumpCopiesAndCounts() throws IOException {
        byte[] data = new byte[100_000];
        new Random(4).nextBytes(data);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        LongAdder counter = new LongAdder();
        long total = PollingVsWebSocket.pump(new ByteArrayInputStream(data), copy, counter);
        assertThat(copy.toByteArray()).as("the bytes that came out of pump()").isEqualTo(data);
        assertThat(counter.sum()).as("the counter after pumping 100000 bytes").isEqualTo(100_000);
        assertThat(total).as("what pump() returned").isEqualTo(100_000);
    }

    @Test
    @Tag("task:2")
    @DisplayName("pump() flushes each chunk before it reads the next, so the meter adds no delay")
    void pumpFlushesEachChunk() throws IOException {
        ByteArrayOutputStream flushed = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                pending.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                pending.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                flushed.writeBytes(pending.toByteArray());
                pending.reset();
            }
        };
        List<String> seenBeforeSecondRead = new ArrayList<>();
        InputStream in = new InputStream() {
            private int reads;

            @Override
            public int read() {
                throw new UnsupportedOperationException("read(byte[], int, int) is used for chunks");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                reads++;
                if (reads == 1) {
                    byte[] chunk = "first chunk".getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(chunk, 0, buffer, offset, chunk.length);
                    return chunk.length;
                }
                seenBeforeSecondRead.add(flushed.toString(StandardCharsets.US_ASCII));
                return -1;
            }
        };
        PollingVsWebSocket.pump(in, out, new LongAdder());
        assertThat(seenBeforeSecondRead).as("what the receiving side had got when pump() went back to read more")
                .containsExactly("first chunk");
    }

    @Test
    @Tag("task:2")
    @DisplayName("through the wire meter, an HTTP request and its response are counted to the byte")
    void meterCountsAnHttpExchange() throws Exception {
        try (ChatServer server = ChatServer.start(new MemoryBoard(), 0); WireMeter meter = new WireMeter(server.port());
             Socket socket = new Socket("127.0.0.1", Integer.parseInt(meter.url().replaceAll(".*:", "")))) {
            socket.setSoTimeout(5000);
            byte[] request = "GET /messages?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            byte[] response = socket.getInputStream().readAllBytes();
            if (meter.failure() != null) {
                throw meter.failure();   // e.g. the TODO still in pump(): the grader names it
            }
            assertThat(new String(response, StandardCharsets.US_ASCII)).as("the answer through the meter").startsWith("HTTP/1.1 200");
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while ((meter.up() != request.length || meter.down() != response.length) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(meter.up()).as("bytes counted up (the request has " + request.length + ")").isEqualTo(request.length);
            assertThat(meter.down()).as("bytes counted down (the response has " + response.length + ")")
                    .isEqualTo(response.length);
        }
    }

    // task 3

    @Test
    @Order(1)
    @Tag("task:3")
    @DisplayName("over WebSocket, every message reaches every other user, with no HTTP request after joining")
    void websocketScenario() throws Exception {
        PollingVsWebSocket.Result ws = measured(Transport.WEBSOCKET);
        assertThat(ws.messages()).as("messages sent in 2 s at 10 per second").isEqualTo(20);
        assertThat(ws.latencies()).as("deliveries: each message to each of the 2 other users").hasSize(40);
        assertThat(ws.requests()).as("HTTP requests during the workload (the upgrades happened before the baseline)")
                .isZero();
        assertThat(ws.bytesUp()).as("bytes up (the frames the users sent)").isPositive();
        assertThat(ws.bytesDown()).as("bytes down (the frames the server pushed)").isGreaterThan(ws.bytesUp());
    }

    @Test
    @Order(2)
    @Tag("task:3")
    @DisplayName("with short polling, every message is delivered and every post and poll is an HTTP request")
    void shortPollingScenario() throws Exception {
        PollingVsWebSocket.Result polling = measured(Transport.SHORT_POLLING);
        assertThat(polling.latencies()).as("deliveries: each message to each of the 2 other users").hasSize(40);
        assertThat(polling.requests()).as("HTTP requests: 20 posts plus the polls of 3 users (several each)")
                .isGreaterThan(20 + 3);
        assertThat(polling.serverCpuNanos()).as("server CPU time spent on all those requests").isPositive();
    }

    @Test
    @Order(3)
    @Tag("task:3")
    @DisplayName("WebSocket's median latency is at least 5 times lower than short polling's every 500 ms")
    void websocketIsFaster() throws Exception {
        double ws = measured(Transport.WEBSOCKET).p50Millis();
        double polling = measured(Transport.SHORT_POLLING).p50Millis();
        assertThat(ws * 5).as("5 x WebSocket's p50 (%.1f ms) next to short polling's p50 (%.1f ms)", ws, polling)
                .isLessThan(polling);
    }

    @Test
    @Order(4)
    @Tag("task:3")
    @DisplayName("WebSocket puts fewer bytes on the wire per message than short polling and long polling")
    void websocketSendsFewerBytes() throws Exception {
        double ws = measured(Transport.WEBSOCKET).bytesPerMessage();
        double shortPolling = measured(Transport.SHORT_POLLING).bytesPerMessage();
        double longPolling = measured(Transport.LONG_POLLING).bytesPerMessage();
        assertThat(ws).as("WebSocket's bytes per message next to short polling's (%.0f)", shortPolling).isLessThan(shortPolling);
        assertThat(ws).as("WebSocket's bytes per message next to long polling's (%.0f)", longPolling).isLessThan(longPolling);
    }

    // task 4

    private static PollingVsWebSocket.Result result(Transport transport, long latencyNanos, long requests, long bytes) {
        return new PollingVsWebSocket.Result(transport, 10, Collections.nCopies(20, latencyNanos), requests, bytes / 4,
                bytes - bytes / 4, 1_000_000);
    }

    @Test
    @Tag("task:4")
    @DisplayName("compare() gives each transport's latency, bytes and requests per message next to WebSocket's")
    void compareAgainstWebSocket() {
        List<PollingVsWebSocket.Verdict> verdicts = PollingVsWebSocket.compare(List.of(
                result(Transport.SHORT_POLLING, 300_000_000, 25, 9000), result(Transport.WEBSOCKET, 2_000_000, 0, 3000)));
        assertThat(verdicts).as("one verdict per result, in the same order")
                .extracting(PollingVsWebSocket.Verdict::transport).containsExactly(Transport.SHORT_POLLING, Transport.WEBSOCKET);
        PollingVsWebSocket.Verdict polling = verdicts.get(0);
        assertThat(polling.slowerBy()).as("p50 300 ms next to WebSocket's 2 ms").isCloseTo(150, offset(0.01));
        assertThat(polling.moreBytesBy()).as("900 bytes per message next to WebSocket's 300")
                .isCloseTo(3, offset(0.01));
        assertThat(polling.requestsPerMessage()).as("25 requests for 10 messages")
                .isCloseTo(2.5, offset(0.01));
        assertThat(verdicts.get(1).slowerBy()).as("WebSocket next to itself").isCloseTo(1, offset(0.01));
    }

    @Test
    @Tag("task:4")
    @DisplayName("compare() refuses results without WebSocket, and never divides by a median of 0 ms")
    void compareEdgeCases() {
        assertThatThrownBy(() -> PollingVsWebSocket.compare(List.of(result(Transport.LONG_POLLING, 5_000_000, 30, 9000))))
                .as("compare() with no WebSocket result").isInstanceOf(IllegalArgumentException.class);
        List<PollingVsWebSocket.Verdict> verdicts = PollingVsWebSocket.compare(List.of(
                result(Transport.LONG_POLLING, 5_000_000, 30, 9000), result(Transport.WEBSOCKET, 0, 0, 3000)));
        assertThat(verdicts.get(0).slowerBy()).as("long polling next to a WebSocket p50 of 0 ms (must be a finite number)")
                .isFinite().isPositive();
    }
}
