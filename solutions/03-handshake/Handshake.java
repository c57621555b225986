///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/Logs.java
//SOURCES Frames.java
//SOURCES EchoServer.java
//SOURCES WireTrace.java

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import relaylab.workbook.Exercise;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 03: open a WebSocket by hand over a plain TCP socket, the way a browser does, and talk
 * to a real server (Undertow) in frames you write and read yourself.
 */
@Lesson(number = 3, title = "Handshake",
        summary = "Upgrade a TCP connection to a WebSocket by hand, then write, read and close frames byte by byte.")
public class Handshake {
    /** Fixed by RFC 6455: every server appends it to the client's key before hashing. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** The example key of RFC 6455, section 1.3; its answer is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=. */
    static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** The largest frame this client accepts from a server. */
    static final long MAX_FRAME = 1 << 20;

    /** What the client sent and what the server answered, as text. */
    record Upgrade(String request, String response) {
    }

    /** The server did not agree to become a WebSocket; the message says how it answered. */
    static final class HandshakeException extends IOException {
        HandshakeException(String message) {
            super(message);
        }
    }

    @Task(number = 1, title = "Compute Sec-WebSocket-Accept",
            hint = "SHA-1 of (key + GUID) as US-ASCII bytes (MessageDigest.getInstance(\"SHA-1\")), then Base64 of the"
                    + " 20-byte digest. The key stays as text: do not Base64-decode it first.")
    static String acceptKey(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-1", e);
        }
    }

    @Task(number = 2, title = "Ask for the upgrade",
            hint = "Key: Base64 of 16 random bytes. Send 'GET path HTTP/1.1' and the headers Host, Upgrade: websocket,"
                    + " Connection: Upgrade, Sec-WebSocket-Key, Sec-WebSocket-Version: 13, each line ending in \\r\\n,"
                    + " then an empty line. readHead() gets the answer: its first line must contain 101, and"
                    + " headers(answer).get(\"sec-websocket-accept\") must equal acceptKey(key); else throw HandshakeException.")
    static Upgrade upgrade(InputStream in, OutputStream out, String host, String path) throws IOException {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String key = Base64.getEncoder().encodeToString(random);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = readHead(in);
        String status = response.lines().findFirst().orElse("");
        if (!status.matches("HTTP/1\\.1 101\\b.*")) {
            throw new HandshakeException("the server answered '" + status + "' instead of '101 Switching Protocols'");
        }
        String accept = headers(response).get("sec-websocket-accept");
        if (!acceptKey(key).equals(accept)) {
            throw new HandshakeException("Sec-WebSocket-Accept is '" + accept + "' but the key " + key + " needs '"
                    + acceptKey(key) + "': this server did not read our key");
        }
        return new Upgrade(request, response);
    }

    @Task(number = 6, title = "Close properly",
            hint = "The close frame's payload is the status code in 2 bytes (big-endian) and then the reason in UTF-8."
                    + " Write it with Frames.encode(Frames.CLOSE, payload, Frames.newMask()), flush, then read frames"
                    + " until one has opcode CLOSE and return the code in its first 2 bytes (1005 if it has none).")
    static int close(InputStream in, OutputStream out, int code, String reason) throws IOException {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        out.write(Frames.encode(Frames.CLOSE, payload, Frames.newMask()));
        out.flush();
        while (true) {
            Frames.Frame frame = Frames.decode(in, false, MAX_FRAME);
            if (frame.opcode() == Frames.CLOSE) {
                byte[] answer = frame.payload();
                return answer.length >= 2 ? ((answer[0] & 0xFF) << 8) | (answer[1] & 0xFF) : 1005;
            }
        }
    }

    /** Reads an HTTP head: every byte up to and including the empty line, one byte at a time. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 8192) {
            int b = in.read();
            if (b < 0) {
                throw new HandshakeException("the server closed the connection after " + head.size()
                        + " bytes, before the end of its answer's headers");
            }
            head.write(b);
            String text = head.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        throw new HandshakeException("the server's answer has more than 8192 bytes of headers");
    }

    /** The headers of an HTTP head, names in lower case (HTTP names are case-insensitive). */
    static Map<String, String> headers(String head) {
        Map<String, String> headers = new HashMap<>();
        head.lines().skip(1).filter(line -> line.contains(":")).forEach(line -> headers.put(
                line.substring(0, line.indexOf(':')).trim().toLowerCase(), line.substring(line.indexOf(':') + 1).trim()));
        return headers;
    }

    @Command(name = "lesson03", mixinStandardHelpOptions = true, version = "Relay Lab lesson 03",
            description = "Opens a WebSocket by hand to a local Undertow server and prints every byte, labelled.")
    static class Options implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "0", description = "Port of the echo server; 0 picks a free one (default ${DEFAULT-VALUE}).")
        int port;
        @Spec
        CommandSpec spec;

        /** Checks the port's range, then runs the demo; a bad value exits with status 2. */
        @Override
        public Integer call() {
            if (port < 0 || port > 65_535) {
                throw new ParameterException(spec.commandLine(),
                        "--port must be from 0 to 65535 (0 picks a free port), not " + port);
            }
            Exercise.run(Handshake.class, () -> demo(this));
            return 0;
        }
    }

    static void demo(Options options) throws IOException {
        System.out.println("acceptKey(\"" + SAMPLE_KEY + "\") = " + acceptKey(SAMPLE_KEY) + " (RFC 6455 says s3pPLMBiTxaQ9kYGzzhZRbK+xOo=)");
        try (EchoServer server = new EchoServer(options.port);
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            System.out.println("TCP connection open to 127.0.0.1:" + server.port() + "; from here on, every byte is ours.\n");
            WireTrace.Recording in = new WireTrace.Recording(new BufferedInputStream(socket.getInputStream()));
            WireTrace.Copying out = new WireTrace.Copying(socket.getOutputStream());
            Upgrade upgrade = upgrade(in, out, "127.0.0.1:" + server.port(), "/echo");
            WireTrace.http("client → server: the upgrade request", upgrade.request());
            WireTrace.http("server → client: the answer", upgrade.response());
            in.take();
            out.take();
            System.out.println("The same TCP connection now carries WebSocket frames, in both directions.\n");
            byte[][] messages = {"Hello".getBytes(StandardCharsets.UTF_8),
                "A longer line. ".repeat(20).getBytes(StandardCharsets.UTF_8), new byte[70_000]};
            for (int i = 0; i < messages.length; i++) {
                int opcode = messages[i].length > 65_535 ? Frames.BINARY : Frames.TEXT;
                out.write(Frames.encode(opcode, messages[i], Frames.newMask()));
                out.flush();
                WireTrace.frame("client → server", out.take(), true);
                if (i == 0) {
                    Frames.decode(in, false, MAX_FRAME);
                    WireTrace.frame("server → client (sent unasked, right after the 101: the server may speak first)",
                            in.take(), false);
                }
                Frames.decode(in, false, MAX_FRAME);
                WireTrace.frame("server → client (the echo)", in.take(), false);
                System.out.println();
            }
            int code = close(in, out, 1000, "done");
            WireTrace.frame("client → server", out.take(), true);
            WireTrace.frame("server → client", in.take(), false);
            System.out.println("\nThe server answered our close with status " + code + "; the TCP connection can now end.");
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Options()).execute(args));
    }
}
