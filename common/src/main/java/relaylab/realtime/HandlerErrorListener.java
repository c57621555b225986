package relaylab.realtime;

/**
 * Told when one of your handlers threw, after the server logged it; the connection goes on either way.
 * Add one with {@link RealtimeConfig#onHandlerError} or {@link RealtimeServer#onHandlerError}; {@link TodoRecorder}
 * is the one lessons use to report an unfinished exercise TODO.
 */
@FunctionalInterface
public interface HandlerErrorListener {
    /**
     * Called on the worker thread of the failed handler, right after it threw.
     *
     * @param socket the socket whose handler threw
     * @param event  the event name for event handlers ({@code socket.on}, {@code @OnEvent}), event filters and
     *               onAny listeners; "connection" for connection handlers and middlewares; "disconnect" for
     *               disconnect listeners
     * @param error  what the handler threw
     * @param ack    the event's acknowledgement, still unsent unless the handler sent it before throwing; answer it
     *               to tell the waiting sender ({@link Ack#NONE} when nobody waits)
     */
    void onHandlerError(RealtimeSocket socket, String event, Throwable error, Ack ack);
}
