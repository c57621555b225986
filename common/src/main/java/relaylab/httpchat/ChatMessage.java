package relaylab.httpchat;

/**
 * One chat message as the HTTP chat of lessons 02 and 04 stores and sends it.
 *
 * @param id     given by the server: 1 for the first message, then 2, 3, ...; 0 before it is stored
 * @param user   who wrote it
 * @param text   what they wrote
 * @param sentAt the sender's {@link System#nanoTime()} when it sent the message. Every user of these
 *               lessons lives in the same JVM, so a receiver can subtract it from its own
 *               {@code System.nanoTime()} to learn how stale the message is; across machines this
 *               would need synchronised clocks instead.
 */
public record ChatMessage(long id, String user, String text, long sentAt) {

    /** How long ago, in milliseconds, this message was sent; called by a receiver when it arrives. */
    public double ageMillis() {
        return (System.nanoTime() - sentAt) / 1_000_000.0;
    }
}
