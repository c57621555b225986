///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/Logs.java
//SOURCES Frames.java
//SOURCES EchoServer.java
//SOURCES WireTrace.java
//SOURCES Bytes.java
//SOURCES HandshakeDemo.java

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import picocli.CommandLine;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 03: open a WebSocket by hand over a plain TCP socket, the way a browser does, and talk
 * to a real server (Undertow) in frames you write and read yourself. Tasks 1, 2, 6 are here, tasks
 * 3-5 in Frames.java; given beside them: Bytes.java (reading bytes), EchoServer.java (the server),
 * HandshakeDemo.java and WireTrace.java (the demo and its labelled printing).
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
        // TODO 1: SHA-1 of key + GUID, then Base64 of the digest (task 1)
        throw new UnsupportedOperationException("TODO 1: compute Sec-WebSocket-Accept");
    }

    @Task(number = 2, title = "Ask for the upgrade",
            hint = "Key: Base64 of 16 random bytes. Send 'GET path HTTP/1.1' and the headers Host, Upgrade: websocket,"
                    + " Connection: Upgrade, Sec-WebSocket-Key, Sec-WebSocket-Version: 13, each line ending in \\r\\n,"
                    + " then an empty line. Bytes.readHead(in) gets the answer: its first line must contain 101, else throw a"
                    + " HandshakeException quoting that line (so it names the status, e.g. 404); Bytes.headers(answer)"
                    + " .get(\"sec-websocket-accept\") must equal acceptKey(key), else a HandshakeException naming"
                    + " Sec-WebSocket-Accept.")
    static Upgrade upgrade(InputStream in, OutputStream out, String host, String path) throws IOException {
        // TODO 2: send the upgrade request, read the answer with Bytes.readHead, check the 101 and the accept key (task 2)
        throw new UnsupportedOperationException("TODO 2: ask for the upgrade");
    }

    @Task(number = 6, title = "Close properly",
            hint = "The close frame's payload is the status code in 2 bytes (big-endian) and then the reason in UTF-8."
                    + " Write it with Frames.encode(Frames.CLOSE, payload, Frames.newMask()), flush, then read frames"
                    + " until one has opcode CLOSE and return the code in its first 2 bytes (1005 if it has none).")
    static int close(InputStream in, OutputStream out, int code, String reason) throws IOException {
        // TODO 6: send a close frame (code + reason), read frames until the server's close, return its code (task 6)
        throw new UnsupportedOperationException("TODO 6: close properly");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new HandshakeDemo.Options()).execute(args));
    }
}
