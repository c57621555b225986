package relaylab.realtime;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A bare WebSocket speaking raw Engine.IO text, for protocol tests: records every frame and the close. */
final class RawWebSocket extends WebSocketClient {
    private final List<Object> frames = new ArrayList<>();
    private int position;
    private volatile boolean closed;
    private volatile int closeCode;

    RawWebSocket(int port, String query) {
        super(URI.create("ws://127.0.0.1:" + port + "/socket.io/?" + query));
        setConnectionLostTimeout(0);
    }

    static RawWebSocket open(int port) {
        return open(port, "EIO=4&transport=websocket");
    }

    static RawWebSocket open(int port, String query) {
        RawWebSocket ws = new RawWebSocket(port, query);
        try {
            if (!ws.connectBlocking(5, TimeUnit.SECONDS)) {
                throw new AssertionError("raw WebSocket did not open");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return ws;
    }

    /** Opens, reads the open packet, joins "/" and returns after the CONNECT answer. */
    static RawWebSocket connected(int port) {
        RawWebSocket ws = open(port);
        ws.next(Duration.ofSeconds(5));
        ws.send("40");
        String answer = ws.next(Duration.ofSeconds(5));
        if (!answer.startsWith("40{\"sid\"")) {
            throw new AssertionError("expected 40{sid}, got " + answer);
        }
        return ws;
    }

    /** The next text frame (binary frames are returned as "<binary n>"); AssertionError after the timeout. */
    synchronized String next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (position >= frames.size()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || (closed && position >= frames.size())) {
                throw new AssertionError("no frame within " + timeout.toMillis() + " ms (closed=" + closed + "); frames so far: " + frames);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        Object f = frames.get(position++);
        return f instanceof byte[] b ? "<binary " + b.length + ">" : (String) f;
    }

    /** Skips frames until one starts with the prefix (e.g. pings) and returns it. */
    String nextStartingWith(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String f = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (f.startsWith(prefix)) {
                return f;
            }
        }
    }

    synchronized byte[] binary(int index) {
        return (byte[]) frames.get(index);
    }

    synchronized List<Object> frames() {
        return List.copyOf(frames);
    }

    synchronized boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return true;
    }

    int closeCode() {
        return closeCode;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public synchronized void onMessage(String message) {
        frames.add(message);
        notifyAll();
    }

    @Override
    public synchronized void onMessage(ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        frames.add(b);
        notifyAll();
    }

    @Override
    public synchronized void onClose(int code, String reason, boolean remote) {
        closeCode = code;
        closed = true;
        notifyAll();
    }

    @Override
    public void onError(Exception ex) {
    }
}
