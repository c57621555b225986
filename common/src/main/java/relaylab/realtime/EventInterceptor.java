package relaylab.realtime;

import java.util.List;

/**
 * Sees each event a client sends, on any namespace of a server, before the socket's filters, onAny listeners and
 * handlers, on the connection's worker thread and in its arrival order. Install it with
 * {@link RealtimeServer#intercept}. For tools that cut across all handlers: {@code RealtimeFixture} uses one to
 * answer its sync event after everything a client sent before it was handled.
 */
@FunctionalInterface
public interface EventInterceptor {
    /**
     * Returns true when it took care of the event (nothing else sees it then; answer {@code ack} if the sender
     * waits), false to let it go on to the socket's filters and handlers.
     */
    boolean intercept(RealtimeSocket socket, String event, List<Object> args, Ack ack);
}
