///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES EventsDemo.java

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 01: an event emitter, the heart of every real-time program. Code says "when X happens,
 * do Y" ({@code on}), and something else says "X happened" ({@code emit}). The demo: EventsDemo.java.
 */
@Lesson(number = 1, title = "Events",
        summary = "Build an EventEmitter (on, off, once, emit) and register listeners with @On annotations.")
public class Events {

    /** Reacts to an event; receives the arguments given to emit. */
    @FunctionalInterface
    interface Listener {
        void call(Object... args);
    }

    /** Marks a method as a listener for the named event (task 6). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface On {
        String value();
    }

    /** The parameter types an {@code @On} method may declare. */
    static final Set<Class<?>> ALLOWED_PARAMETERS = Set.of(String.class, Object.class, Integer.class,
            Long.class, Double.class, Boolean.class, int.class, long.class, double.class, boolean.class);

    static class EventEmitter {
        private final Map<String, List<Listener>> listeners = new HashMap<>();
        private final List<String> errors = new ArrayList<>();

        @Task(number = 1, title = "Register listeners with on()",
                hint = "Keep a List<Listener> per event name in the listeners map (computeIfAbsent helps)"
                        + " and add the new listener at the end, so the order of registration is kept.")
        EventEmitter on(String event, Listener listener) {
            // TODO 1: add the listener to the end of this event's list in the listeners map (task 1)
            throw new UnsupportedOperationException("TODO 1: implement on()");
        }

        @Task(number = 2, title = "Call every listener with emit()",
                hint = "Loop over a copy of the event's list (List.copyOf): a listener may add or remove listeners"
                        + " while you loop. Pass each to deliver(). Return false when nobody listens to the event.")
        boolean emit(String event, Object... args) {
            // TODO 2: call deliver() for each listener of a copy of the event's list, in order; return whether there were any (task 2)
            throw new UnsupportedOperationException("TODO 2: implement emit()");
        }

        @Task(number = 3, title = "Stop listening with off()",
                hint = "Remove the first entry that is the listener itself or a Once whose original() is it."
                        + " Forget the event name once its list is empty.")
        EventEmitter off(String event, Listener listener) {
            // TODO 3: remove the listener, or the Once wrapping it, from the event's list (task 3)
            throw new UnsupportedOperationException("TODO 3: implement off()");
        }

        @Task(number = 4, title = "Listen just once with once()",
                hint = "Register a new Once that wraps the original (see the Once record below): its call() first"
                        + " removes itself with off(event, this), then calls the original.")
        EventEmitter once(String event, Listener listener) {
            // TODO 4: register a Once that wraps the listener (see the Once record below) (task 4)
            throw new UnsupportedOperationException("TODO 4: implement once()");
        }

        @Task(number = 5, title = "Keep going when a listener throws",
                hint = "Wrap the call in try/catch (RuntimeException e) and record the failure with"
                        + " errors.add(event + \": \" + e.getMessage()); the loop in emit() then goes on.")
        private void deliver(String event, Listener listener, Object[] args) {
            // TODO 5: this works until a listener throws; catch it and add "event: message" to errors (task 5)
            listener.call(args);
        }

        @Task(number = 6, title = "Register @On methods",
                hint = "First check every @On method of target.getClass(): not static, each parameter type in"
                        + " ALLOWED_PARAMETERS, else throw IllegalArgumentException naming Class.method. Only then,"
                        + " for each: method.setAccessible(true); on(name, args -> EventsDemo.invoke(target, method, args)).")
        EventEmitter register(Object target) {
            // TODO 6: check every @On method of target first (all or nothing), then make each a listener (task 6)
            throw new UnsupportedOperationException("TODO 6: implement register()");
        }

        /** How many listeners the event has right now. */
        int listenerCount(String event) {
            return listeners.getOrDefault(event, List.of()).size();
        }

        /** The failures recorded by deliver(), oldest first, as "event: message". */
        List<String> errors() {
            return List.copyOf(errors);
        }
    }

    /** A listener that removes itself before its first call (task 4). */
    record Once(EventEmitter emitter, String event, Listener original) implements Listener {
        @Override
        public void call(Object... args) {
            emitter.off(event, this);
            original.call(args);
        }
    }

    public static void main(String[] args) {
        EventsDemo.main(args);
    }
}
