import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints what crossed the wire: HTTP as text, frames as hex with each field labelled. The fields
 * are read back with the lesson's own {@link Frames#decode}, so the trace shows what your decoder sees.
 */
final class WireTrace {
    private static final String[] OPCODES = {"continuation", "text", "binary", "?", "?", "?", "?", "?",
        "close", "ping", "pong", "?", "?", "?", "?", "?"};

    private WireTrace() {
    }

    static void http(String direction, String text) {
        System.out.println(direction);
        String[] lines = text.split("\r\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            System.out.println("    " + lines[i] + "\\r\\n");
        }
    }

    /** Labels the bytes of one frame; {@code fromClient} says which side wrote them. */
    static void frame(String direction, byte[] bytes, boolean fromClient) throws IOException {
        Frames.Frame frame = Frames.decode(new ByteArrayInputStream(bytes), fromClient, Long.MAX_VALUE);
        int header = bytes.length - frame.payload().length;
        System.out.printf("%s, %d bytes%n", direction, bytes.length);
        System.out.printf("    %-24s FIN=%d, RSV=000, opcode=0x%X (%s)%n", hex(bytes, 0, 1),
                frame.fin() ? 1 : 0, frame.opcode(), OPCODES[frame.opcode()]);
        int length = frame.payload().length;
        int lengthBytes = length <= 125 ? 1 : length <= 0xFFFF ? 3 : 9;
        String form = length <= 125 ? "7-bit length" : length <= 0xFFFF ? "126: 16-bit length follows" : "127: 64-bit length follows";
        System.out.printf("    %-24s MASK=%d, %s = %d%n", hex(bytes, 1, lengthBytes), frame.mask() == null ? 0 : 1, form, length);
        if (frame.mask() != null) {
            System.out.printf("    %-24s masking key%n", hex(bytes, 1 + lengthBytes, 4));
        }
        String shown = hex(bytes, header, Math.min(8, length)) + (length > 8 ? " ..." : "");
        System.out.printf("    %-24s payload%s: %s%n", shown, frame.mask() == null ? "" : " (masked)", describe(frame));
    }

    private static String describe(Frames.Frame frame) {
        byte[] payload = frame.payload();
        if (frame.opcode() == Frames.CLOSE && payload.length >= 2) {
            int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            return "status " + code + " \"" + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) + "\"";
        }
        if (frame.opcode() == Frames.TEXT) {
            String text = frame.text();
            return "\"" + (text.length() > 40 ? text.substring(0, 37) + "...\" (" + text.length() + " characters)" : text + "\"");
        }
        return payload.length + " bytes";
    }

    private static String hex(byte[] bytes, int from, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < from + count && i < bytes.length; i++) {
            text.append(text.length() == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xFF));
        }
        return text.toString();
    }

    /** Keeps a copy of every byte read, until {@link #take()}. */
    static final class Recording extends FilterInputStream {
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                seen.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                seen.write(buffer, offset, n);
            }
            return n;
        }

        byte[] take() {
            byte[] bytes = seen.toByteArray();
            seen.reset();
            return bytes;
        }
    }

    /** Keeps a copy of every byte written, until {@link #take()}. */
    static final class Copying extends FilterOutputStream {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        Copying(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            written.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            written.write(bytes, offset, length);
        }

        byte[] take() {
            byte[] bytes = written.toByteArray();
            written.reset();
            return bytes;
        }
    }
}
