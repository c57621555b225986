package relaylab.realtime.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An encoded Engine.IO message ready to send: the text (e.g. {@code 42["chat","hi"]}) and optional
 * binary attachments. The UTF-8 bytes are computed once and shared: each WebSocket recipient gets a
 * {@link ByteBuffer#duplicate()} of the same buffer, so a broadcast does no per-recipient encoding. Made by
 * {@link PacketCodec#encode}; the frames are the server's (unmasked) WebSocket frames.
 */
public final class Outbound {
    private final String text;
    private final byte[][] attachments;
    private volatile ByteBuffer bytes;
    private volatile ByteBuffer frame;
    private volatile ByteBuffer[] binaryFrames;

    /** A message with this Engine.IO text and these binary attachments (null for none). */
    public Outbound(String text, byte[][] attachments) {
        this.text = text;
        this.attachments = attachments;
    }

    /** The Engine.IO text, e.g. {@code 42["chat","hi"]}. */
    public String text() {
        return text;
    }

    /** The binary attachments sent after the text, or null for none. */
    public byte[][] attachments() {
        return attachments;
    }

    /** A fresh view on the shared UTF-8 bytes; cheap (no copy). */
    public ByteBuffer textBuffer() {
        ByteBuffer b = bytes;
        if (b == null) {
            b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            bytes = b;
        }
        return b.duplicate();
    }

    /**
     * A fresh view on the whole server WebSocket text frame (header and UTF-8 payload), built once and
     * shared by every recipient of a broadcast.
     */
    public ByteBuffer textFrame() {
        ByteBuffer f = frame;
        if (f == null) {
            f = frame(0x81, textBuffer());
            frame = f;
        }
        return f.duplicate();
    }

    /** Fresh views on one binary frame per attachment (none for most packets). */
    public ByteBuffer[] binaryFrames() {
        if (attachments == null) {
            return NO_FRAMES;
        }
        ByteBuffer[] frames = binaryFrames;
        if (frames == null) {
            frames = new ByteBuffer[attachments.length];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = frame(0x82, ByteBuffer.wrap(attachments[i]));
            }
            binaryFrames = frames;
        }
        ByteBuffer[] views = new ByteBuffer[frames.length];
        for (int i = 0; i < views.length; i++) {
            views[i] = frames[i].duplicate();
        }
        return views;
    }

    /** An unmasked, final frame with the given first byte (FIN and opcode) around {@code payload}. */
    public static ByteBuffer frame(int finAndOpcode, ByteBuffer payload) {
        int n = payload.remaining();
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        ByteBuffer f = ByteBuffer.allocate(header + n);
        f.put((byte) finAndOpcode);
        if (n < 126) {
            f.put((byte) n);
        } else if (n < 65536) {
            f.put((byte) 126).putShort((short) n);
        } else {
            f.put((byte) 127).putLong(n);
        }
        f.put(payload.duplicate());
        return f.flip();
    }

    private static final ByteBuffer[] NO_FRAMES = new ByteBuffer[0];

    /** The server's heartbeat {@code 2}. */
    public static final Outbound PING = new Outbound("2", null);
    /** {@code 6}: ends a poll with nothing in it. */
    public static final Outbound NOOP = new Outbound("6", null);
    /** {@code 1}: the session is closed. */
    public static final Outbound CLOSE = new Outbound("1", null);
    /** {@code 3probe}: the server's answer to a probe's {@code 2probe}. */
    public static final Outbound PROBE_ANSWER = new Outbound("3probe", null);
}
