package relaylab.realtime;

import io.undertow.websockets.core.WebSocketChannel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The WebSocket write path ({@link WebSocketWriter}) at the wire level, with a raw TCP client that can stop reading,
 * ping and close: frames queued behind a full socket, the close that follows them, pong and the client's close.
 */
class WebSocketWriterTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /*
     * The flood (~40 MB) is ~10 times what the connection holds in flight: the server's send buffer grows to tcp_wmem's
     * max (4 MiB here) and the client pins its receive buffer to 64 KiB, so tcp_rmem's autotuning (to 32 MiB here)
     * does not apply. floodUnread checks that the writer really ends up waiting for the socket.
     */
    private static final int FLOOD = 2000;
    private static final byte[] BINARY = new byte[70_000];
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        RANDOM.nextBytes(BINARY);
    }

    private final CountDownLatch emitted = new CountDownLatch(1);
    private final List<String> reasons = new CopyOnWriteArrayList<>();

    private RealtimeFixture start(Duration pingInterval) {
        return start(cfg -> cfg.pingInterval(pingInterval).pingTimeout(Duration.ofSeconds(30)));
    }

    private RealtimeFixture start(Consumer<RealtimeConfig> configure) {
        return RealtimeFixture.start(configure,
                server -> server.on("connection", socket -> {
                    socket.onDisconnect(reasons::add);
                    socket.on("echo", (args, ack) -> ack.send(args.toArray()));
                    socket.on("flood", args -> {
                        for (int i = 0; i < FLOOD; i++) {
                            socket.emit("m", i, body(i));
                        }
                        socket.emit("bin", (Object) BINARY);
                        emitted.countDown();
                    });
                }));
    }

    /** Message i's text: ~20 KB (every 500th ~70 KB, for 64-bit frame lengths), its letters shifted by i. */
    private static String body(int i) {
        char[] c = new char[i % 500 == 0 ? 70_000 : 20_000];
        for (int k = 0; k < c.length; k++) {
            c[k] = (char) ('a' + (i + k) % 26);
        }
        return new String(c);
    }

    @Test
    @DisplayName("a client that reads only after a 40 MB flood gets every message once, in order, intact; then acks and heartbeats work")
    void slowReader() throws Exception {
        try (RealtimeFixture fx = start(Duration.ofMillis(500)); WsClient c = new WsClient(fx.port())) {
            c.join();
            EngineSession connection = fx.server().connection(c.sid);
            WebSocketChannel ch = channel(connection);
            Object undertows = writeListener(ch);
            assertThat(undertows).as("Undertow's write listener before the flood").isNotNull().isNotSameAs(WebSocketWriter.of(ch));
            long before = writes(ch);
            floodUnread(c, ch);

            readFlood(c);
            assertThat(writes(ch) - before).as("socket writes for " + FLOOD + " frames that piled up behind a full socket")
                    .isLessThan(FLOOD / 2);
            Await.until("Undertow's write listener restored once drained", () -> writeListener(ch) == undertows);
            c.sendText("421[\"echo\",\"after the flood\"]");
            assertThat(c.nextText()).isEqualTo("431[\"after the flood\"]");
            assertThat(c.nextFrame().text()).as("the next heartbeat").isEqualTo("2");
            int pongs = connection.pongs();
            c.sendText("3");
            Await.until("the pong counted", () -> connection.pongs() > pongs);
            assertThat(c.lengthForms).as("payload length forms read (7-bit, 16-bit, 64-bit)").containsExactly(7, 16, 64);
            assertThat(fx.server().connectionCount()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("the server closes a connection with frames still queued: they all arrive, then 41, a close frame 1000, EOF")
    void closeWithQueuedFrames() throws Exception {
        try (RealtimeFixture fx = start(Duration.ofSeconds(60)); WsClient c = new WsClient(fx.port())) {
            c.join();
            EngineSession connection = fx.server().connection(c.sid);
            WebSocketChannel ch = channel(connection);
            floodUnread(c, ch);
            assertThat(onIoThread(ch, () -> WebSocketWriter.of(ch).hasPending())).as("frames queued at close time").isTrue();

            fx.server().sockets().iterator().next().disconnect();
            connection.close("server closed it");
            readFlood(c);
            assertThat(c.nextText()).as("the Socket.IO disconnect").isEqualTo("41");
            Frame close = c.nextFrame();
            assertThat(close.opcode).as("opcode of the frame after 41").isEqualTo(8);
            assertThat(close.status()).isEqualTo(1000);
            assertThat(c.in.read()).as("end of stream after the close frame").isEqualTo(-1);
            assertNothingLeft(fx);
            Await.until("the socket's disconnect listener ran", () -> !reasons.isEmpty());
            assertThat(reasons).containsExactly("server namespace disconnect");
        }
    }

    @Test
    @DisplayName("a client that reads nothing after the server closed it is hung up on after pingTimeout, its frames dropped")
    void closeDeadline() throws Exception {
        try (RealtimeFixture fx = start(cfg -> cfg.pingInterval(Duration.ofSeconds(60)).pingTimeout(Duration.ofMillis(300)));
             WsClient c = new WsClient(fx.port()); LogCapture log = LogCapture.of("relaylab.realtime")) {
            c.join();
            EngineSession connection = fx.server().connection(c.sid);
            WebSocketChannel ch = channel(connection);
            floodUnread(c, ch);
            connection.close("server closed it");
            Await.until("the unread socket closed by the server", () -> !ch.isOpen());
            assertThat(log.containing("still unread")).as("the log line saying why").hasSize(1);
            assertNothingLeft(fx);
        }
    }

    @Test
    @DisplayName("a client more than 64 x maxPayload behind is cut off with a logged reason; the others go on")
    void tooSlowReader() throws Exception {
        try (RealtimeFixture fx = start(cfg -> cfg.maxPayload(64 * 1024).pingInterval(Duration.ofSeconds(60)));
             WsClient slow = new WsClient(fx.port()); LogCapture log = LogCapture.of("relaylab.realtime")) {
            slow.join();
            TestClient other = fx.client();
            WebSocketChannel ch = channel(fx.server().connection(slow.sid));
            slow.sendText("42[\"flood\"]");
            Await.until("the slow connection closed", () -> !ch.isOpen());
            assertThat(log.containing("reads too slowly")).as("the log line saying why").hasSize(1);
            assertThat(other.ack("echo", "fine")).as("another client still served").containsExactly("fine");
            Await.until("only the other client left", () -> fx.server().connectionCount() == 1);
            Await.until("the slow socket's disconnect listener ran with \"transport error\"", () -> reasons.contains("transport error"));
        }
    }

    @Test
    @DisplayName("on an idle connection each packet leaves in its own socket write: the CONNECT answer and the first event, two packets queued at once")
    void idleConnectionOneWritePerPacket() throws Exception {
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.pingInterval(Duration.ofSeconds(60)),
                server -> server.on("connection", socket -> socket.emit("hello", 1)));
             WsClient c = new WsClient(fx.port())) {
            WebSocketChannel ch = channel(fx.server().connection(c.sid));
            long before = writes(ch);
            c.join();
            assertThat(c.nextText()).isEqualTo("42[\"hello\",1]");
            assertThat(writes(ch) - before).as("socket writes for the CONNECT answer and the first event").isEqualTo(2);

            // the strict case: two packets queued back to back in one I/O task, with nothing under way
            long twoBefore = onIoThread(ch, () -> {
                WebSocketWriter writer = WebSocketWriter.of(ch);
                long at = writer.writes;
                writer.send(new relaylab.realtime.protocol.Outbound("42[\"a\"]", null));
                writer.send(new relaylab.realtime.protocol.Outbound("42[\"b\"]", null));
                return at;
            });
            assertThat(c.nextText()).isEqualTo("42[\"a\"]");
            assertThat(c.nextText()).isEqualTo("42[\"b\"]");
            assertThat(writes(ch) - twoBefore).as("socket writes for two packets queued back to back on an idle connection")
                    .isEqualTo(2);
        }
    }

    @Test
    @DisplayName("packets queued while a write is under way leave together: 100 packets queued in one I/O task take two writes")
    void pileUpIsGathered() throws Exception {
        try (RealtimeFixture fx = start(Duration.ofSeconds(60)); WsClient c = new WsClient(fx.port())) {
            c.join();
            WebSocketChannel ch = channel(fx.server().connection(c.sid));
            // a first task on the I/O thread: once it has run, the flush task queued with the CONNECT answer has run too
            // (the client may read the answer before that task is queued), so the connection is idle
            writes(ch);
            long gathered = onIoThread(ch, () -> {
                WebSocketWriter writer = WebSocketWriter.of(ch);
                long before = writer.writes;
                for (int i = 0; i < 100; i++) {
                    writer.send(new relaylab.realtime.protocol.Outbound("42[\"n\"," + i + "]", null));
                }
                return writer.writes - before;
            });
            assertThat(gathered).as("writes while queuing: the first packet, at once").isEqualTo(1);
            for (int i = 0; i < 100; i++) {
                assertThat(c.nextText()).isEqualTo("42[\"n\"," + i + "]");
            }
            assertThat(writes(ch)).as("all writes so far (open packet, CONNECT answer, then 1 + 1 for the 100 packets)").isEqualTo(4);
        }
    }

    @Test
    @DisplayName("broadcasts that pile up on a busy I/O thread leave in one write per connection, not a write at once plus the gathered rest")
    void piledUpBroadcastsOneWrite() throws Exception {
        try (RealtimeFixture fx = start(Duration.ofSeconds(60)); WsClient c = new WsClient(fx.port())) {
            c.join();
            WebSocketChannel ch = channel(fx.server().connection(c.sid));
            writes(ch); // the CONNECT answer's flush task has run: the connection is idle
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> before = holdIoThread(ch, release);
            // two broadcasts while the I/O thread is busy: their hand-offs wait in its queue, one behind the other
            fx.server().emit("b", 1);
            fx.server().emit("b", 2);
            release.countDown();
            assertThat(c.nextText()).isEqualTo("42[\"b\",1]");
            assertThat(c.nextText()).isEqualTo("42[\"b\",2]");
            long at = before.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(writes(ch) - at).as("socket writes for two broadcasts that piled up on the I/O thread").isEqualTo(1);
        }
    }

    /** Keeps the channel's I/O thread busy until {@code release}; the future gives the writer's writes when it started. */
    private static CompletableFuture<Long> holdIoThread(WebSocketChannel ch, CountDownLatch release) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CompletableFuture<Long> before = CompletableFuture.supplyAsync(() -> {
            long at = WebSocketWriter.of(ch).writes;
            busy.countDown();
            try {
                if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test did not release the I/O thread");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return at;
        }, ch.getIoThread());
        assertThat(busy.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the I/O thread busy").isTrue();
        return before;
    }

    @Test
    @DisplayName("slow readers together over maxQueuedBytes: the one holding most is cut off with a logged reason, the other gets all")
    void slowReadersTogether() throws Exception {
        // each flood leaves ~36 MB queued (40 MB, less what the socket buffers take), below the 64 MB per-client limit;
        // two of them pass the 50 MB cap while the second one is being queued, when the first still holds most
        try (RealtimeFixture fx = start(cfg -> cfg.pingInterval(Duration.ofSeconds(60)).maxQueuedBytes(50_000_000));
             WsClient first = new WsClient(fx.port()); WsClient second = new WsClient(fx.port());
             LogCapture log = LogCapture.of("relaylab.realtime")) {
            first.join();
            second.join();
            WebSocketChannel firstCh = channel(fx.server().connection(first.sid));
            first.sendText("42[\"flood\"]");
            assertThat(emitted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the first flood emitted").isTrue();
            Await.until("the first flood queued (more than 30 MB counted)", () -> fx.server().slowReaders.queued() > 30_000_000,
                    () -> "counted: " + fx.server().slowReaders.queued());
            second.sendText("42[\"flood\"]");
            Await.until("the first reader cut off", () -> !firstCh.isOpen(), log::describe);
            assertThat(log.containing("maxQueuedBytes")).as("the log line saying why").hasSize(1);
            readFlood(second);
            Await.until("the first socket's disconnect listener ran with \"transport error\"", () -> reasons.contains("transport error"),
                    () -> "reasons so far: " + reasons);
            assertThat(fx.server().connectionCount()).as("the second client still connected").isEqualTo(1);
            Await.until("nothing counted once the second reader caught up", () -> fx.server().slowReaders.queued() == 0,
                    () -> "counted: " + fx.server().slowReaders.queued());
        }
    }

    @Test
    @DisplayName("a client ping frame gets a pong with the same payload, and the connection keeps working")
    void pingPong() throws Exception {
        try (RealtimeFixture fx = start(Duration.ofSeconds(60)); WsClient c = new WsClient(fx.port())) {
            c.join();
            byte[] max = new byte[125];
            RANDOM.nextBytes(max);
            for (byte[] payload : List.of("hi".getBytes(StandardCharsets.UTF_8), max, new byte[0])) {
                c.sendFrame(9, payload);
                Frame pong = c.nextFrame();
                assertThat(pong.opcode).as("opcode of the answer to a ping").isEqualTo(10);
                assertThat(pong.payload).as("pong payload").isEqualTo(payload);
            }
            c.sendText("421[\"echo\",\"still here\"]");
            assertThat(c.nextText()).isEqualTo("431[\"still here\"]");
            assertThat(fx.server().connectionCount()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a client close frame is answered with a close frame, then EOF, and the connection is cleaned up")
    void clientClose() throws Exception {
        try (RealtimeFixture fx = start(Duration.ofSeconds(60)); WsClient c = new WsClient(fx.port())) {
            c.join();
            c.sendFrame(8, ByteBuffer.allocate(5).putShort((short) 1000).put("bye".getBytes(StandardCharsets.UTF_8)).array());
            Frame close = c.nextFrame();
            assertThat(close.opcode).as("opcode of the answer to a close").isEqualTo(8);
            assertThat(close.status()).isEqualTo(1000);
            assertThat(c.in.read()).as("end of stream after the close frame").isEqualTo(-1);
            c.close(); // Undertow only shut its output down: it keeps the connection until the client hangs up
            assertNothingLeft(fx);
            Await.until("the socket's disconnect listener ran", () -> !reasons.isEmpty());
            assertThat(reasons).containsExactly("transport close");
        }
    }

    // Binary attachments over WebSocket (451-[...] then an opcode 2 frame) are covered by TransportTest.binary; here
    // the flood ends with one, so that a text frame and its binary frame are also checked behind a full socket.

    /** Asks for the flood and returns once the handler emitted it all and the writer waits for the full socket. */
    private void floodUnread(WsClient c, WebSocketChannel ch) throws Exception {
        c.sendText("42[\"flood\"]");
        assertThat(emitted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the handler emitted the flood").isTrue();
        Await.until("the writer waiting for the full socket (is the flood larger than the socket buffers?)",
                () -> writeListener(ch) == WebSocketWriter.of(ch));
    }

    private static void assertNothingLeft(RealtimeFixture fx) {
        Await.until("nothing left on the server", () -> fx.server().connectionCount() == 0 && fx.server().timerCount() == 0,
                () -> "connections: " + fx.server().connectionCount() + ", timers: " + fx.server().timerCount());
    }

    private static void readFlood(WsClient c) throws IOException {
        for (int i = 0; i < FLOOD; i++) {
            String expected = "42[\"m\"," + i + ",\"" + body(i) + "\"]";
            String text = c.nextText();
            if (!text.equals(expected)) {
                fail("message " + i + " of " + FLOOD + ": expected " + relaylab.realtime.protocol.PacketCodec.abbreviate(expected) + " but got "
                        + relaylab.realtime.protocol.PacketCodec.abbreviate(text));
            }
        }
        assertThat(c.nextText()).isEqualTo("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
        Frame binary = c.nextFrame();
        assertThat(binary.opcode).as("opcode of the attachment").isEqualTo(2);
        assertThat(Arrays.equals(binary.payload, BINARY)).as("the attachment's 70,000 bytes intact").isTrue();
    }

    /** The connection's WebSocket (set just after the CONNECT answer leaves). */
    private static WebSocketChannel channel(EngineSession connection) {
        Await.until("the connection writing to its WebSocket", () -> connection.webSocket() != null);
        return connection.webSocket();
    }

    /** The sink's write listener: the writer while it waits for the socket, else Undertow's. */
    private static Object writeListener(WebSocketChannel ch) {
        return onIoThread(ch, () -> WebSocketWriter.of(ch).sinkWriteListener());
    }

    /** Socket writes the connection's writer has made so far. */
    private static long writes(WebSocketChannel ch) {
        return onIoThread(ch, () -> WebSocketWriter.of(ch).writes);
    }

    /** Runs on the channel's I/O thread, where the writer's state lives. */
    private static <T> T onIoThread(WebSocketChannel ch, Callable<T> what) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return what.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, ch.getIoThread()).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** A server frame: its opcode and payload. */
    private record Frame(int opcode, byte[] payload) {
        String text() {
            assertThat(opcode).as("opcode of a text frame").isEqualTo(1);
            return new String(payload, StandardCharsets.UTF_8);
        }

        int status() {
            assertThat(payload.length).as("close frame payload length").isGreaterThanOrEqualTo(2);
            return ByteBuffer.wrap(payload).getShort() & 0xffff;
        }
    }

    /** A WebSocket client on a plain socket: reads only when told to, sends masked frames, answers Engine.IO pings. */
    private static final class WsClient implements AutoCloseable {
        private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
        final Socket socket = new Socket();
        final DataInputStream in;
        final OutputStream out;
        final Set<Integer> lengthForms = new TreeSet<>();
        final String sid;

        WsClient(int port) throws Exception {
            socket.setReceiveBufferSize(64 * 1024); // fixed before connecting: the window cannot grow to hold the flood
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000); // safety net only: every read is expected to return at once
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            out = socket.getOutputStream();
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            out.write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed during the upgrade: " + head);
                }
                head.append((char) b);
            }
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            assertThat(head).as("upgrade response").startsWith("HTTP/1.1 101 ")
                    .containsPattern("(?i:sec-websocket-accept): *" + Pattern.quote(Base64.getEncoder().encodeToString(sha1)) + "\r\n");
            String open = nextText();
            assertThat(open).startsWith("0{\"sid\":\"");
            sid = (String) RealtimeJson.mapper().readValue(open.substring(1), Map.class).get("sid");
        }

        /** Joins the default namespace. */
        void join() throws IOException {
            sendText("40");
            assertThat(nextText()).startsWith("40{\"sid\":\"");
        }

        /** The next frame, of any kind; checks it is final, unmasked and minimally encoded. */
        Frame nextFrame() throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            assertThat(b0 & 0xf0).as("FIN set, RSV bits clear").isEqualTo(0x80);
            assertThat(b1 & 0x80).as("mask bit of a server frame").isZero();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
                assertThat(length).as("16-bit length").isGreaterThanOrEqualTo(126);
                lengthForms.add(16);
            } else if (length == 127) {
                length = in.readLong();
                assertThat(length).as("64-bit length").isBetween(65_536L, 1L << 24);
                lengthForms.add(64);
            } else {
                lengthForms.add(7);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(b0 & 0x0f, payload);
        }

        /** The next text frame other than an Engine.IO ping, which is answered. */
        String nextText() throws IOException {
            while (true) {
                String text = nextFrame().text();
                if (!text.equals("2")) {
                    return text;
                }
                sendText("3");
            }
        }

        void sendText(String text) throws IOException {
            sendFrame(1, text.getBytes(StandardCharsets.UTF_8));
        }

        /** One final frame, masked as a client must (payloads under 64 KiB). */
        void sendFrame(int opcode, byte[] payload) throws IOException {
            ByteBuffer frame = ByteBuffer.allocate(8 + payload.length).put((byte) (0x80 | opcode));
            if (payload.length < 126) {
                frame.put((byte) (0x80 | payload.length));
            } else {
                frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
            }
            byte[] mask = new byte[4];
            RANDOM.nextBytes(mask);
            frame.put(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.put((byte) (payload[i] ^ mask[i % 4]));
            }
            out.write(frame.array(), 0, frame.position());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
