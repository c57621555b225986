package relaylab.realtime;

import java.util.List;

/**
 * Receives one event's arguments when no acknowledgement is needed. Called once per event, in arrival
 * order, on a worker thread (never on the network thread).
 */
@FunctionalInterface
public interface EventListener {
    /** Called when the event arrives; {@code args} are the arguments after the event name. */
    void onEvent(List<Object> args) throws Exception;
}
