import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import relaylab.workbook.Task;

/**
 * WebSocket frames (RFC 6455, section 5) as bytes: writing one as a client does, reading one as
 * either side does, and refusing what a peer must never send.
 */
final class Frames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Frames() {
    }

    /** A fresh masking key: 4 unpredictable bytes, new for every frame a client sends. */
    static byte[] newMask() {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        return mask;
    }

    /**
     * One frame as read from the wire.
     *
     * @param mask the 4-byte masking key, or null when the frame was not masked
     */
    record Frame(boolean fin, int opcode, byte[] payload, byte[] mask) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** A peer broke the framing rules; the message says which rule. */
    static final class FrameException extends IOException {
        FrameException(String message) {
            super(message);
        }
    }

    @Task(number = 3, title = "Write a masked frame",
            hint = "Byte 0: 0x80 (FIN) | opcode. Byte 1: 0x80 (MASK) | length when it is 125 or less; else 126 and the"
                    + " length in 2 bytes, or 127 and the length in 8 bytes (big-endian). Then the 4 mask bytes, then"
                    + " each payload byte XOR mask[i % 4].")
    static byte[] encode(int opcode, byte[] payload, byte[] mask) {
        // TODO 3: FIN + opcode, MASK + one of the three length forms, the mask, the masked payload (task 3)
        throw new UnsupportedOperationException("TODO 3: write a masked frame");
    }

    @Task(number = 4, title = "Refuse bad frames",
            hint = "One if per rule, each throwing a FrameException whose message holds the words the README gives:"
                    + " 'rsv' (rsv != 0), 'reserved opcode' (3-7 or 0xB-0xF), 'not masked' (fromClient and not masked),"
                    + " 'masked' (a server frame that is), 'too long' (length < 0 or over maxLength), 'control' (opcode 8"
                    + " or more with a length over 125).")
    /**
     * Refuses a frame that breaks a rule, from its header alone (before any payload is read).
     * {@code rsv} is byte 0 of the frame masked with 0x70: the three RSV bits where they sit, not shifted
     * (RSV1 alone is 0x40). {@code length} is the announced payload length; a 64-bit length with its top
     * bit set arrives negative, and is too long.
     */
    static void check(int rsv, int opcode, boolean masked, long length, boolean fromClient, long maxLength)
            throws FrameException {
        // TODO 4: throw a FrameException for each rule a peer's frame breaks, with the README's words (task 4)
        throw new UnsupportedOperationException("TODO 4: refuse bad frames");
    }

    @Task(number = 5, title = "Read a frame",
            hint = "Read 2 bytes: FIN is the top bit of byte 0, the opcode its low 4 bits; MASK is the top bit of byte 1,"
                    + " the length its low 7 bits (126: Bytes.number of 2 more bytes, 127: of 8). Call check(...), then read"
                    + " the 4 mask bytes if MASK is set, then the payload, and XOR it with the mask. Use Bytes.readExactly"
                    + " for every read: it refuses a frame that stops early.")
    static Frame decode(InputStream in, boolean fromClient, long maxLength) throws IOException {
        // TODO 5: read FIN, opcode, MASK, the length (3 forms); call check(); read the mask and unmask the payload (task 5)
        throw new UnsupportedOperationException("TODO 5: read a frame");
    }
}
