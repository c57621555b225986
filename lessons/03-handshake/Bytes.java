import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Given helpers of lesson 03 for reading bytes off a socket: an HTTP head up to its empty line, its
 * headers, an exact number of bytes, and a big-endian number. Nothing to write here.
 */
final class Bytes {

    private Bytes() {
    }

    /** Reads an HTTP head: every byte up to and including the empty line, one byte at a time. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 8192) {
            int b = in.read();
            if (b < 0) {
                throw new Handshake.HandshakeException("the server closed the connection after " + head.size()
                        + " bytes, before the end of its answer's headers");
            }
            head.write(b);
            String text = head.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        throw new Handshake.HandshakeException("the server's answer has more than 8192 bytes of headers");
    }

    /** The headers of an HTTP head, names in lower case (HTTP names are case-insensitive). */
    static Map<String, String> headers(String head) {
        Map<String, String> headers = new HashMap<>();
        head.lines().skip(1).filter(line -> line.contains(":")).forEach(line -> headers.put(
                line.substring(0, line.indexOf(':')).trim().toLowerCase(), line.substring(line.indexOf(':') + 1).trim()));
        return headers;
    }

    /** Reads exactly {@code n} bytes, or fails with "truncated frame" when the stream ends first. */
    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new Frames.FrameException("truncated frame: expected " + n + " more bytes, the connection ended after "
                    + bytes.length);
        }
        return bytes;
    }

    /** A big-endian unsigned number from 2 or 8 bytes (8 bytes with the top bit set come out negative). */
    static long number(byte[] bytes) {
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xFF);
        }
        return value;
    }
}
