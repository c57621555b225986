package relaylab.realtime;

import relaylab.realtime.protocol.PacketCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What one {@link RealtimeSocket} does with an event from its client, in order: the server's
 * {@link EventInterceptor}s, the socket's {@link EventFilter}s, its onAny listeners, then its own
 * {@link EventHandler}s and the namespace's; and its disconnect listeners. Registration copies on write,
 * so dispatch reads without a lock.
 */
final class SocketHandlers {
    private static final System.Logger LOG = CoreLog.LOG;

    private final RealtimeSocket socket;
    private volatile Map<String, EventHandler[]> handlers = Map.of();
    private volatile List<Consumer<String>> disconnectListeners = List.of();
    private volatile List<BiConsumer<String, List<Object>>> anyListeners = List.of();
    private volatile List<EventFilter> filters = List.of();

    SocketHandlers(RealtimeSocket socket) {
        this.socket = socket;
    }

    synchronized void on(String event, EventHandler handler) {
        Map<String, EventHandler[]> copy = new HashMap<>(handlers);
        EventHandler[] old = copy.get(event);
        EventHandler[] next;
        if (old == null) {
            next = new EventHandler[] {handler};
        } else {
            next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = handler;
        }
        copy.put(event, next);
        handlers = copy;
    }

    synchronized void off(String event) {
        Map<String, EventHandler[]> copy = new HashMap<>(handlers);
        copy.remove(event);
        handlers = copy;
    }

    synchronized void onAny(BiConsumer<String, List<Object>> listener) {
        anyListeners = appended(anyListeners, listener);
    }

    synchronized void use(EventFilter filter) {
        filters = appended(filters, filter);
    }

    synchronized void onDisconnect(Consumer<String> listener) {
        disconnectListeners = appended(disconnectListeners, listener);
    }

    private static <T> List<T> appended(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return List.copyOf(copy);
    }

    EventHandler[] own(String event) {
        return handlers.get(event);
    }

    /** Runs one received event through the chain; {@code ack} is {@link Ack#NONE} when the client asked for none. */
    void dispatch(String event, List<Object> args, Ack ack) {
        SocketIoConnection connection = socket.connection;
        List<Object> view = Collections.unmodifiableList(args);
        for (EventInterceptor interceptor : connection.server.interceptors()) {
            boolean consumed;
            try {
                consumed = interceptor.intercept(socket, event, view, ack);
            } catch (RuntimeException | Error e) {
                connection.server.handlerFailed(socket, event, "event interceptor for '" + event + "'", e, ack);
                consumed = false;
            }
            if (consumed) {
                return;
            }
        }
        for (EventFilter filter : filters) {
            boolean pass;
            try {
                pass = filter.allow(event, view);
            } catch (RuntimeException | Error e) {
                connection.server.handlerFailed(socket, event, "event filter for '" + event + "' (event dropped)", e, ack);
                pass = false;
            }
            if (!pass) {
                if (connection.mayNote()) {
                    LOG.log(System.Logger.Level.INFO, "event '" + PacketCodec.abbreviate(event) + "' of socket " + socket.id()
                            + " dropped by a filter");
                }
                return;
            }
        }
        for (BiConsumer<String, List<Object>> any : anyListeners) {
            try {
                any.accept(event, view);
            } catch (RuntimeException | Error e) {
                connection.server.handlerFailed(socket, event, "onAny listener for '" + event + "'", e, ack);
            }
        }
        boolean handled = socket.namespace().dispatch(socket, event, args, ack, handlers.get(event));
        if (!handled && connection.mayNote()) {
            LOG.log(System.Logger.Level.INFO, "no handler for event '" + PacketCodec.abbreviate(event) + "' from socket "
                    + socket.id() + " on namespace " + socket.namespace().name() + "; ignored"
                    + (ack != Ack.NONE ? " (the sender's ack will time out)" : ""));
        }
    }

    /** Runs the disconnect listeners, then the namespace's, on the connection's inbox (after the handlers queued before). */
    void fireDisconnect(String reason) {
        List<Consumer<String>> listeners = disconnectListeners;
        socket.connection.inbox.execute(() -> {
            for (Consumer<String> listener : listeners) {
                try {
                    listener.accept(reason);
                } catch (RuntimeException | Error e) {
                    socket.connection.server.handlerFailed(socket, "disconnect", "disconnect listener", e, Ack.NONE);
                }
            }
            socket.namespace().fireDisconnect(socket, reason);
        });
    }
}
