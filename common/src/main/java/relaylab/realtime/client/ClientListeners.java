package relaylab.realtime.client;

import relaylab.realtime.Ack;
import relaylab.realtime.EventHandler;
import relaylab.realtime.internal.SerialExecutor;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The listeners registered on one {@link RealtimeClient} and how they are called: on a shared pool, one at a time
 * per client, in arrival order; a listener that throws is logged and the others still run.
 */
final class ClientListeners {
    private static final System.Logger LOG = System.getLogger("relaylab.realtime");
    /** The client's own events, which onAny listeners do not see. */
    private static final Set<String> LIFECYCLE = Set.of("connect", "disconnect", "connect_error", "reconnect_attempt");

    private final SerialExecutor events;
    private final Map<String, List<EventHandler>> handlers = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, List<Object>>> any = new CopyOnWriteArrayList<>();
    private final List<Runnable> pings = new CopyOnWriteArrayList<>();

    ClientListeners(Executor pool) {
        this.events = new SerialExecutor(pool);
    }

    void on(String event, EventHandler handler) {
        handlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
    }

    void onAny(BiConsumer<String, List<Object>> listener) {
        any.add(listener);
    }

    void onPing(Runnable listener) {
        pings.add(listener);
    }

    /** Calls the ping listeners. */
    void firePing() {
        for (Runnable listener : pings) {
            events.execute(listener);
        }
    }

    /** Calls the listeners of a client event ("connect", "disconnect", ...) or of an event without ack. */
    void fire(String event, List<Object> args) {
        fire(event, args, Ack.NONE);
    }

    /** Calls the onAny listeners (for server events) then the event's handlers, which may answer {@code ack}. */
    void fire(String event, List<Object> args, Ack ack) {
        boolean lifecycle = LIFECYCLE.contains(event);
        events.execute(() -> {
            List<EventHandler> list = handlers.get(event);
            List<Object> view = Collections.unmodifiableList(args);
            if (!lifecycle) {
                for (BiConsumer<String, List<Object>> listener : any) {
                    try {
                        listener.accept(event, view);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "onAny listener threw for event '" + event + "': " + e, e);
                    }
                }
            }
            if (list == null) {
                return;
            }
            for (EventHandler handler : list) {
                try {
                    handler.handle(view, ack);
                } catch (Exception | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "client listener for event '" + event + "' threw: " + e, e);
                }
            }
        });
    }
}
