package relaylab.realtime;

/**
 * Runs for every socket that tries to connect to a namespace, before it is connected, in the order
 * the middlewares were added. Use it to check {@code socket.handshake().auth()} and refuse with
 * {@code next.fail("...")}, which the client receives as connect_error. Must call next exactly once
 * (it may do so later, from another thread).
 */
@FunctionalInterface
public interface Middleware {
    /** Called once per connection attempt; call {@code next.ok()} to let it through or {@code next.fail(...)} to refuse. */
    void handle(RealtimeSocket socket, Next next) throws Exception;

    /** The continuation given to a {@link Middleware}. Only the first call counts. */
    interface Next {
        /** Lets the connection attempt go on to the next middleware (or connects the socket). */
        void ok();

        /** Refuses the connection; the client's connect_error listener receives {@code message}. */
        void fail(String message);

        /** Refuses the connection with extra JSON data (the reference client exposes it as {@code err.data}). */
        void fail(String message, Object data);
    }
}
