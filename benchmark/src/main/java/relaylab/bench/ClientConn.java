package relaylab.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection of the {@link LoadGen}: its socket, read buffer and what waits to be written, plus the
 * bits of the WebSocket client side it needs (end of the HTTP upgrade answer, masked client frames). Only touched
 * by the load generator's selector thread.
 */
final class ClientConn {
    static final int HTTP = 0;
    static final int WS = 1;
    final SocketChannel ch;
    SelectionKey key;
    ByteBuffer in = ByteBuffer.allocateDirect(4096);
    ByteBuffer out;
    int state = HTTP;
    boolean closed;

    ClientConn(SocketChannel ch) {
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

    void close() {
        closed = true;
        try {
            ch.close();
        } catch (IOException e) {
            System.err.println("bench: closing a connection failed: " + e);
        }
    }

    /** The index just after the blank line ending the HTTP headers in {@code in}, or -1 while incomplete. */
    static int headerEnd(ByteBuffer in) {
        for (int i = in.position(); i + 3 < in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
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
}
