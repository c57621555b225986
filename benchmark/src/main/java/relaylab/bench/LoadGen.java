package relaylab.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Every client connection, and the sender, on one NIO selector thread. Per received frame it reads the
 * WebSocket header and, for a chat event, the "ts" number; it never builds a String for a delivery.
 */
final class LoadGen implements AutoCloseable, Runnable {
    /** {@code receiveNanos}: time spent handling ready connections (the receive loop), -1 unless timed. */
    record StepStats(long start, long lastDelivery, long delivered, long loadgenCpu, Histogram histogram,
                     Histogram senderLag, long receiveNanos, long end) {
    }

    private static final int MAX_CONNECTING = 256;
    private static final byte[] TS_KEY = "\"ts\":".getBytes(StandardCharsets.US_ASCII);
    private static final String CHAT_TEXT = "hello everyone, this is a small chat message";

    private final InetSocketAddress server;
    private final Selector selector;
    private final Thread thread;
    private final boolean timeReceive;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final byte[] request;
    private final List<ClientConn> conns = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Throwable failure;

    // only touched by the selector thread, published through the monitor
    private int toOpen;
    private int connecting;
    private volatile int ready;
    private volatile int failed;
    private ClientConn sender;
    private boolean sending;
    private int rate;
    private long events;
    private long sent;
    private long stepStart;
    private long expected;
    private volatile long delivered; // read by awaitDelivered; one writer, so ++ is safe
    private long lastDelivery;
    private long cpuAtStart;
    private long receiveNanos;
    private Histogram histogram = new Histogram();
    private Histogram senderLag = new Histogram();
    private volatile long drainTarget = Long.MAX_VALUE;
    private StepStats finished;

    private LoadGen(int port, boolean timeReceive) throws IOException {
        this.timeReceive = timeReceive;
        this.server = new InetSocketAddress("127.0.0.1", port);
        this.selector = Selector.open();
        this.request = ("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: cmVsYXlsYWItYmVuY2gtMQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.thread = new Thread(this, "bench-loadgen");
        this.thread.setDaemon(true);
    }

    /** {@code timeReceive}: also time the receive loop (two clock reads per ready connection; --instruments). */
    static LoadGen start(int port, boolean timeReceive) throws IOException {
        LoadGen gen = new LoadGen(port, timeReceive);
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
            for (ClientConn c : conns) {
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
            receiveNanos = 0;
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
            for (ClientConn c : conns) {
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

    private ClientConn connect() throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ClientConn c = new ClientConn(ch);
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
            sender.write(ClientConn.maskedTextFrame(text.getBytes(StandardCharsets.US_ASCII)));
            sent++;
        }
        if (sent >= events) {
            sending = false;
        }
    }

    private void finishStep() {
        sending = false;
        long cpu = threads.getCurrentThreadCpuTime() - cpuAtStart;
        StepStats stats = new StepStats(stepStart, lastDelivery, delivered, cpu, histogram, senderLag,
                timeReceive ? receiveNanos : -1, System.nanoTime());
        expected = Long.MAX_VALUE;
        synchronized (this) {
            finished = stats;
            notifyAll();
        }
    }

    private void onReady(SelectionKey key) {
        if (timeReceive) {
            long start = System.nanoTime();
            handleReady(key);
            receiveNanos += System.nanoTime() - start;
        } else {
            handleReady(key);
        }
    }

    private void handleReady(SelectionKey key) {
        ClientConn c = (ClientConn) key.attachment();
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
            failed++;
        }
    }

    private void read(ClientConn c) throws IOException {
        int n = c.ch.read(c.in);
        if (n < 0) {
            c.close();
            failed++;
            return;
        }
        long now = System.nanoTime();
        ByteBuffer in = c.in;
        in.flip();
        if (c.state == ClientConn.HTTP) {
            int end = ClientConn.headerEnd(in);
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
            c.state = ClientConn.WS;
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

    private void frame(ClientConn c, int opcode, int at, int len, long now) throws IOException {
        ByteBuffer in = c.in;
        if (opcode == 0x8) {
            throw new IOException("the server closed the WebSocket");
        }
        if (opcode == 0x9) {
            byte[] payload = new byte[len];
            in.get(at, payload);
            c.write(ClientConn.maskedFrame(0xA, payload));
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
            c.write(ClientConn.maskedTextFrame(pong));
        } else if (eio == '0') {
            c.write(ClientConn.maskedTextFrame(new byte[] {'4', '0'}));
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
}
