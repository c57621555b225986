package relaylab.realtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An encoded Engine.IO message ready to send: the text (e.g. {@code 42["chat","hi"]}) and optional
 * binary attachments. The UTF-8 bytes are computed once and shared: each WebSocket recipient gets a
 * {@link ByteBuffer#duplicate()} of the same buffer, so a broadcast does no per-recipient encoding.
 */
final class Outbound {
    final String text;
    final byte[][] attachments;
    private volatile ByteBuffer bytes;

    Outbound(String text, byte[][] attachments) {
        this.text = text;
        this.attachments = attachments;
    }

    /** A fresh view on the shared UTF-8 bytes; cheap (no copy). */
    ByteBuffer textBuffer() {
        ByteBuffer b = bytes;
        if (b == null) {
            b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            bytes = b;
        }
        return b.duplicate();
    }

    static final Outbound PING = new Outbound("2", null);
    static final Outbound NOOP = new Outbound("6", null);
    static final Outbound CLOSE = new Outbound("1", null);
}
