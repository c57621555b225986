package relaylab.realtime;

/**
 * The reply channel of one received event. A handler calls {@link #send} when the sender asked for an
 * acknowledgement (client {@code emitWithAck}); the sender's future completes with these arguments.
 */
@FunctionalInterface
public interface Ack {
    /** An Ack for an event whose sender did not ask for a reply: sending does nothing. */
    Ack NONE = new Ack() {
        @Override
        public void send(Object... args) {
        }

        @Override
        public boolean requested() {
            return false;
        }
    };

    /**
     * Sends the acknowledgement with the given arguments (JSON-serialisable values or byte[]).
     * Only the first call counts; later calls and calls when no ack was requested are ignored.
     */
    void send(Object... args);

    /** True when the sender is waiting for this acknowledgement. */
    default boolean requested() {
        return true;
    }
}
