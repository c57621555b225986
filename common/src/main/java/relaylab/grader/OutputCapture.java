package relaylab.grader;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a test printed, from any thread, kept within bounds: the first and the last
 * {@value #KEEP} bytes, so a test that prints 100 MB costs memory of a few pages and the report
 * still shows how the output ended.
 */
final class OutputCapture {
    static final int KEEP = 16 * 1024;

    private final byte[] head = new byte[KEEP];
    private final byte[] tail = new byte[KEEP];
    private int headSize;
    private long tailWritten;
    private long total;

    PrintStream stream() {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                append(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                append(bytes, offset, length);
            }
        }, true, StandardCharsets.UTF_8);
    }

    private synchronized void append(byte[] bytes, int offset, int length) {
        total += length;
        int toHead = Math.min(length, KEEP - headSize);
        System.arraycopy(bytes, offset, head, headSize, toHead);
        headSize += toHead;
        for (int i = offset + toHead; i < offset + length; i++) {
            tail[(int) (tailWritten++ % KEEP)] = bytes[i];
        }
    }

    /** Starts a new test: what was printed between tests is dropped. */
    synchronized void begin() {
        headSize = 0;
        tailWritten = 0;
        total = 0;
    }

    /** What was printed since {@link #begin()}, with a note in the middle when some was left out. */
    synchronized String end() {
        String text = new String(head, 0, headSize, StandardCharsets.UTF_8);
        if (tailWritten > 0) {
            long dropped = total - headSize - Math.min(tailWritten, KEEP);
            if (dropped > 0) {
                text += "\n… (" + dropped + " more bytes of output left out) …\n";
            }
            byte[] last = new byte[(int) Math.min(tailWritten, KEEP)];
            for (int i = 0; i < last.length; i++) {
                last[i] = tail[(int) ((tailWritten - last.length + i) % KEEP)];
            }
            text += new String(last, StandardCharsets.UTF_8);
        }
        begin();
        return text;
    }
}
