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
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write(0x80 | opcode);
        int length = payload.length;
        if (length <= 125) {
            out.write(0x80 | length);
        } else if (length <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift));
            }
        }
        out.write(mask, 0, 4);
        for (int i = 0; i < length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        return out.toByteArray();
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
        if (rsv != 0) {
            throw new FrameException("rsv bits are set (" + Integer.toBinaryString(rsv >> 4)
                    + ") but no extension was agreed in the handshake");
        }
        if ((opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB) {
            throw new FrameException("reserved opcode 0x" + Integer.toHexString(opcode) + ": RFC 6455 defines 0-2 and 8-A");
        }
        if (fromClient && !masked) {
            throw new FrameException("a client frame is not masked; a server must close the connection");
        }
        if (!fromClient && masked) {
            throw new FrameException("a server frame is masked; a client must close the connection");
        }
        if (length < 0 || length > maxLength) {
            throw new FrameException("frame too long: " + Long.toUnsignedString(length) + " bytes, the limit is " + maxLength);
        }
        if (opcode >= CLOSE && length > 125) {
            throw new FrameException("control frame (opcode 0x" + Integer.toHexString(opcode) + ") of " + length
                    + " bytes; control frames carry at most 125");
        }
    }

    @Task(number = 5, title = "Read a frame",
            hint = "Read 2 bytes: FIN is the top bit of byte 0, the opcode its low 4 bits; MASK is the top bit of byte 1,"
                    + " the length its low 7 bits (126: Bytes.number of 2 more bytes, 127: of 8). Call check(...), then read"
                    + " the 4 mask bytes if MASK is set, then the payload, and XOR it with the mask. Use Bytes.readExactly"
                    + " for every read: it refuses a frame that stops early.")
    static Frame decode(InputStream in, boolean fromClient, long maxLength) throws IOException {
        byte[] head = Bytes.readExactly(in, 2);
        boolean fin = (head[0] & 0x80) != 0;
        int opcode = head[0] & 0x0F;
        boolean masked = (head[1] & 0x80) != 0;
        long length = head[1] & 0x7F;
        if (length == 126) {
            length = Bytes.number(Bytes.readExactly(in, 2));
        } else if (length == 127) {
            length = Bytes.number(Bytes.readExactly(in, 8));
        }
        check(head[0] & 0x70, opcode, masked, length, fromClient, maxLength);
        byte[] mask = masked ? Bytes.readExactly(in, 4) : null;
        byte[] payload = Bytes.readExactly(in, (int) length);
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
        }
        return new Frame(fin, opcode, payload, mask);
    }
}
