import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private EchoServer server;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final ExecutorService fakeServers = Executors.newCachedThreadPool();

    @BeforeEach
    void connect() throws IOException {
        server = new EchoServer(0);
        socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(5000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    @AfterEach
    void disconnect() throws IOException {
        fakeServers.shutdownNow();
        socket.close();
        server.close();
    }

    private String host() {
        return "127.0.0.1:" + server.port();
    }

    /** A one-shot server on a free port: reads the request head, then answers with {@code response}. */
    private Socket connectToFake(String response, ServerSocket listener) throws IOException {
        fakeServers.submit(() -> {
            try (Socket peer = listener.accept()) {
                Bytes.readHead(peer.getInputStream());
                peer.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
                peer.getOutputStream().flush();
                peer.getInputStream().read();
            }
            return null;
        });
        Socket client = new Socket("127.0.0.1", listener.getLocalPort());
        client.setSoTimeout(5000);
        return client;
    }

    // task 1

    @Test
    @Tag("task:1")
    @DisplayName("acceptKey() gives RFC 6455's own answer for its example key")
    void acceptKeyOfTheRfcExample() {
        assertThat(Handshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="))
                .as("acceptKey(\"dGhlIHNhbXBsZSBub25jZQ==\"), RFC 6455 section 1.3").isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    @Tag("task:1")
    @DisplayName("acceptKey() computes the same Sec-WebSocket-Accept as Undertow for a fresh key")
    void acceptKeyMatchesUndertow() throws IOException {
        String key = Base64.getEncoder().encodeToString("any 16 bytes ok!".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /echo HTTP/1.1\r\nHost: " + host() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String answer = Bytes.readHead(in);
        assertThat(Handshake.acceptKey(key)).as("acceptKey(\"" + key + "\") next to Undertow's answer:\n" + answer)
                .isEqualTo(Bytes.headers(answer).get("sec-websocket-accept"));
    }

    // task 2

    @Test
    @Tag("task:2")
    @DisplayName("upgrade() gets 101 Switching Protocols from Undertow, and the first frame follows right after")
    void upgradeWithUndertow() throws IOException {
        Handshake.Upgrade upgrade = Handshake.upgrade(in, out, host(), "/echo");
        assertThat(upgrade.request()).as("the request you sent").startsWith("GET /echo HTTP/1.1\r\n").endsWith("\r\n\r\n")
                .containsIgnoringCase("Sec-WebSocket-Version: 13");
        assertThat(upgrade.response()).as("the server's answer").startsWith("HTTP/1.1 101");
        byte[] head = in.readNBytes(2);
        assertThat(head).as("the first 2 bytes after the answer: the server's welcome frame (text, 32 bytes)")
                .containsExactly(0x81, 32);
    }

    @Test
    @Tag("task:2")
    @DisplayName("upgrade() refuses a server that answers 404 instead of 101")
    void upgradeRefusesNotFound() {
        assertThat(catchThrowable(() -> Handshake.upgrade(in, out, host(), "/no-websocket-here")))
                .as("upgrade() to a path where Undertow has no WebSocket: it must throw a HandshakeException naming the status (404)")
                .isInstanceOf(Handshake.HandshakeException.class).hasMessageContaining("404");
    }

    @Test
    @Tag("task:2")
    @DisplayName("upgrade() refuses a 101 whose Sec-WebSocket-Accept does not match the key it sent")
    void upgradeRefusesWrongAccept() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = connectToFake("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", listener)) {
            assertThat(catchThrowable(() -> Handshake.upgrade(client.getInputStream(), client.getOutputStream(), "127.0.0.1", "/")))
                    .as("upgrade() when the server's accept value belongs to another key: it must throw a HandshakeException"
                            + " naming Sec-WebSocket-Accept")
                    .isInstanceOf(Handshake.HandshakeException.class).hasMessageContaining("Sec-WebSocket-Accept");
        }
    }

    // task 6

    @Test
    @Tag("task:6")
    @DisplayName("close() is answered by Undertow's close frame with the same status, then the connection ends")
    void closeWithUndertow() throws IOException {
        Handshake.upgrade(in, out, host(), "/echo");
        assertThat(Frames.decode(in, false, 1000).text()).as("the welcome frame").isEqualTo(EchoServer.WELCOME);
        assertThat(Handshake.close(in, out, 1000, "bye")).as("the status code in Undertow's close frame").isEqualTo(1000);
        assertThat(in.read()).as("what comes after the close handshake (-1: the server ended the TCP connection)").isEqualTo(-1);
    }

    @Test
    @Tag("task:6")
    @DisplayName("close() sends a masked close frame holding the status code (2 bytes) and the reason")
    void closeFrameBytes() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<byte[]> seen = fakeServers.submit(() -> {
                try (Socket peer = listener.accept()) {
                    InputStream from = peer.getInputStream();
                    byte[] head = from.readNBytes(2);
                    byte[] mask = from.readNBytes(4);
                    byte[] payload = from.readNBytes(head[1] & 0x7F);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                    peer.getOutputStream().write(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xE9});
                    peer.getOutputStream().flush();
                    byte[] all = new byte[2 + payload.length];
                    all[0] = head[0];
                    all[1] = head[1];
                    System.arraycopy(payload, 0, all, 2, payload.length);
                    return all;
                }
            });
            try (Socket client = new Socket("127.0.0.1", listener.getLocalPort())) {
                client.setSoTimeout(5000);
                int code = Handshake.close(client.getInputStream(), client.getOutputStream(), 1001, "going away");
                byte[] frame = seen.get(5, TimeUnit.SECONDS);
                assertThat(frame[0] & 0xFF).as("first byte of your close frame (FIN + opcode 8 = 0x88)").isEqualTo(0x88);
                assertThat(frame[1] & 0x80).as("the MASK bit of your close frame (clients always mask)").isEqualTo(0x80);
                assertThat(new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8)).as("the reason after the code")
                        .isEqualTo("going away");
                assertThat(((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF)).as("the status code in your close frame")
                        .isEqualTo(1001);
                assertThat(code).as("close() returns the code of the server's close frame").isEqualTo(1001);
            }
        }
    }
}
