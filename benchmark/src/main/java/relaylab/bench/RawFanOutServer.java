package relaylab.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The floor for {@link FanOutBench}: the least a Java server can do for the same fan-out, one NIO thread
 * that answers the WebSocket and Socket.IO handshakes and copies each chat frame to every other connection
 * with one socket write each. No heartbeats, no rooms, no JSON: not a server to use, only a yardstick that
 * shows how much of relaylab's cost per delivery is the operating system's write itself
 * ({@code ./jbang bench --server raw}). With {@code coalesce} ({@code --server raw-coalesced}) it appends
 * each frame to the connection's buffer and writes every buffer once after each selector round, so frames
 * that piled up while it was busy leave in one write: the yardstick for relaylab's batched writes.
 */
final class RawFanOutServer implements Runnable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final List<Conn> ready = new ArrayList<>();
    private final MessageDigest sha1;
    private final boolean coalesce;
    private final List<Conn> dirty = new ArrayList<>();
    private volatile boolean running = true;
    private volatile int sockets;
    private int ids;

    /** {@code coalesce}: one write per connection per selector round instead of one per delivery. */
    RawFanOutServer(boolean coalesce) throws IOException {
        this.coalesce = coalesce;
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        listener.configureBlocking(false);
        selector = Selector.open();
        listener.register(selector, SelectionKey.OP_ACCEPT);
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1, which WebSocket needs", e);
        }
    }

    int port() throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    int sockets() {
        return sockets;
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select(this::onReady, 100);
                flushDirty();
            }
        } catch (IOException e) {
            System.err.println("raw server: " + e);
        } finally {
            try {
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
                selector.close();
            } catch (IOException e) {
                System.err.println("raw server: closing failed: " + e);
            }
        }
    }

    private void onReady(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                SocketChannel ch;
                while ((ch = listener.accept()) != null) {
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    Conn c = new Conn(ch);
                    c.key = ch.register(selector, SelectionKey.OP_READ, c);
                }
                return;
            }
            Conn c = (Conn) key.attachment();
            if (key.isWritable()) {
                c.flush();
            }
            if (key.isValid() && key.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            Object a = key.attachment();
            if (a instanceof Conn c) {
                close(c);
            }
        }
    }

    private void close(Conn c) {
        if (ready.remove(c)) {
            sockets--;
        }
        try {
            c.ch.close();
        } catch (IOException e) {
            System.err.println("raw server: closing a connection failed: " + e);
        }
    }

    private void read(Conn c) throws IOException {
        if (c.ch.read(c.in) < 0) {
            close(c);
            return;
        }
        ByteBuffer in = c.in;
        in.flip();
        if (!c.upgraded) {
            String head = StandardCharsets.US_ASCII.decode(in.duplicate()).toString();
            int end = head.indexOf("\r\n\r\n");
            if (end < 0) {
                in.position(in.limit());
                in.limit(in.capacity());
                return;
            }
            int k = head.indexOf("Sec-WebSocket-Key: ");
            String key = head.substring(k + 19, head.indexOf("\r\n", k)).trim();
            String accept = Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            c.write(ByteBuffer.wrap(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            c.id = "raw" + (++ids);
            c.write(frame(("0{\"sid\":\"" + c.id + "\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                    + "\"maxPayload\":1000000}").getBytes(StandardCharsets.US_ASCII)));
            c.upgraded = true;
            in.position(end + 4);
        }
        while (in.remaining() >= 6) {
            int p = in.position();
            int len = in.get(p + 1) & 0x7f;
            int header = 2;
            if (len == 126) {
                len = ((in.get(p + 2) & 0xff) << 8) | (in.get(p + 3) & 0xff);
                header = 4;
            } else if (len == 127) {
                throw new IOException("frame too large for the raw server");
            }
            if (in.remaining() < header + 4 + len) {
                break;
            }
            int opcode = in.get(p) & 0x0f;
            byte[] payload = new byte[len];
            for (int i = 0; i < len; i++) {
                payload[i] = (byte) (in.get(p + header + 4 + i) ^ in.get(p + header + (i & 3)));
            }
            in.position(p + header + 4 + len);
            if (opcode == 0x8) {
                close(c);
                return;
            }
            message(c, payload);
        }
        in.compact();
    }

    private void message(Conn from, byte[] payload) throws IOException {
        if (payload.length >= 2 && payload[0] == '4' && payload[1] == '0') {
            from.write(frame(("40{\"sid\":\"" + from.id + "\"}").getBytes(StandardCharsets.US_ASCII)));
            ready.add(from);
            sockets++;
        } else if (payload.length >= 2 && payload[0] == '4' && payload[1] == '2') {
            ByteBuffer shared = frame(payload);
            for (int i = 0, n = ready.size(); i < n; i++) {
                Conn to = ready.get(i);
                if (to != from) {
                    if (coalesce) {
                        if (to.append(shared.duplicate())) {
                            dirty.add(to);
                        }
                    } else {
                        to.write(shared.duplicate());
                    }
                }
            }
        }
    }

    private void flushDirty() {
        for (int i = 0, n = dirty.size(); i < n; i++) {
            Conn c = dirty.get(i);
            c.dirty = false;
            try {
                c.flush();
            } catch (IOException e) {
                close(c);
            }
        }
        dirty.clear();
    }

    /**
     * Appends {@code data} to a write-side buffer in fill mode, creating it ({@code initial} bytes at least)
     * or growing it as needed; returns the buffer to keep. Shared with the load generator's connections.
     */
    static ByteBuffer appendTo(ByteBuffer out, ByteBuffer data, int initial) {
        if (out == null) {
            out = ByteBuffer.allocate(Math.max(initial, data.remaining() * 2));
        } else if (out.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate((out.position() + data.remaining()) * 2);
            out.flip();
            bigger.put(out);
            out = bigger;
        }
        return out.put(data);
    }

    /** An unmasked server frame (FIN, text) in a direct buffer, ready to write many times. */
    private static ByteBuffer frame(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocateDirect(payload.length + 4);
        b.put((byte) 0x81);
        if (payload.length < 126) {
            b.put((byte) payload.length);
        } else {
            b.put((byte) 126);
            b.putShort((short) payload.length);
        }
        b.put(payload);
        b.flip();
        return b;
    }

    private static final class Conn {
        final SocketChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(8192);
        SelectionKey key;
        ByteBuffer out;
        boolean upgraded;
        boolean dirty;
        String id;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }

        void write(ByteBuffer data) throws IOException {
            if (out == null) {
                ch.write(data);
                if (!data.hasRemaining()) {
                    return;
                }
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
            buffer(data);
        }

        /** Appends without writing; true when this connection just became dirty. */
        boolean append(ByteBuffer data) {
            buffer(data);
            boolean first = !dirty;
            dirty = true;
            return first;
        }

        private void buffer(ByteBuffer data) {
            out = appendTo(out, data, 16384);
        }

        void flush() throws IOException {
            if (out == null) {
                return;
            }
            out.flip();
            ch.write(out);
            if (out.hasRemaining()) {
                out.compact();
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else {
                out = null;
                key.interestOps(SelectionKey.OP_READ);
            }
        }
    }
}
