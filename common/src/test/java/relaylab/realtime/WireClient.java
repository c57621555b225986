package relaylab.realtime;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client written on a bare TCP socket: it reads only when asked (so it can stop reading), sends masked
 * frames of any kind, and can show how the server's bytes were split into reads. For attacks and wire-level checks.
 */
final class WireClient implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One frame from the server. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    /** Opens the TCP connection and does the WebSocket handshake; reads nothing after the 101 response. */
    WireClient(int port, String query, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 15_000);
        socket.setSoTimeout(15_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        out.write(("GET /socket.io/?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection during the handshake: " + head);
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("no WebSocket upgrade: " + head);
        }
    }

    static WireClient open(int port) throws IOException {
        return new WireClient(port, "EIO=4&transport=websocket", 0);
    }

    void sendText(String text) throws IOException {
        send(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendBinary(byte[] data) throws IOException {
        send(0x82, data);
    }

    /** Writes one masked frame with this first byte (FIN and opcode). */
    synchronized void send(int finAndOpcode, byte[] payload) throws IOException {
        out.write(frame(finAndOpcode, payload));
        out.flush();
    }

    /** Writes bytes as they are (e.g. many frames built beforehand). */
    synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The bytes of one masked client frame. */
    static byte[] frame(int finAndOpcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(finAndOpcode);
        int n = payload.length;
        if (n < 126) {
            f.write(0x80 | n);
        } else if (n < 65536) {
            f.write(0x80 | 126);
            f.write(n >>> 8);
            f.write(n);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) n >>> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    /** The next frame; EOFException when the server closed the connection. */
    Frame next() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long n = b1 & 0x7F;
        if (n == 126) {
            n = in.readUnsignedShort();
        } else if (n == 127) {
            n = in.readLong();
        }
        byte[] payload = new byte[(int) n];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    /** The next text frame, skipping pings ("2") after answering them. */
    String nextText() throws IOException {
        while (true) {
            Frame f = next();
            if (f.opcode() == 1 && f.text().equals("2")) {
                sendText("3");
                continue;
            }
            if (f.opcode() != 1) {
                throw new IOException("expected a text frame, got opcode " + f.opcode() + " (" + f.text() + ")");
            }
            return f.text();
        }
    }

    /** Waits for the server to close: reads (and drops) frames until the end of the stream. */
    boolean awaitEnd() {
        try {
            while (true) {
                next();
            }
        } catch (EOFException | SocketException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One read() of the socket: the bytes that had arrived together (up to 64 KB). */
    byte[] readOnce() throws IOException {
        byte[] buffer = new byte[65536];
        InputStream raw = socket.getInputStream();
        int n = raw.read(buffer);
        if (n < 0) {
            throw new EOFException("closed");
        }
        return java.util.Arrays.copyOf(buffer, n);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
