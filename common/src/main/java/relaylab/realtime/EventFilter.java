package relaylab.realtime;

import java.util.List;

/**
 * Decides whether one incoming event of a socket reaches its handlers; added with
 * {@link RealtimeSocket#use(EventFilter)}. Called on the connection's worker thread before any handler.
 */
@FunctionalInterface
public interface EventFilter {
    /** Returns true to let the event through, false to drop it (e.g. too many events per second from this socket). */
    boolean allow(String event, List<Object> args);
}
