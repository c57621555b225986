package relaylab.realtime;

import java.util.List;

/**
 * Handles one received event together with its {@link Ack}. Called once per event, in arrival order
 * for a given connection, on a worker thread (blocking briefly is fine; it delays that connection only).
 */
@FunctionalInterface
public interface EventHandler {
    /**
     * Called when the event arrives. {@code args} are the event's arguments after the name, as plain Java
     * values (see {@link RealtimeJson}); {@code ack} replies to the sender (a no-op when none was asked).
     */
    void handle(List<Object> args, Ack ack) throws Exception;
}
