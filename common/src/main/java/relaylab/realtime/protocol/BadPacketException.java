package relaylab.realtime.protocol;

/** Thrown for a packet that does not follow the Socket.IO v5 encoding; the message says what is wrong. */
public final class BadPacketException extends Exception {
    /** A packet refused for the reason in {@code message}. */
    public BadPacketException(String message) {
        super(message);
    }
}
