///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import relaylab.workbook.Exercise;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 01: an event emitter, the heart of every real-time program. Code says "when X happens,
 * do Y" ({@code on}), and something else says "X happened" ({@code emit}).
 */
@Lesson(number = 1, title = "Events",
        summary = "Build an EventEmitter (on, once, off, emit) and register listeners with @On annotations.")
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
                hint = "Loop over a copy of the event's list (a listener may call off() while you loop) and pass"
                        + " it to deliver(). Return false when nobody listens to the event.")
        boolean emit(String event, Object... args) {
            // TODO 2: call deliver() for each listener of the event, in order; return whether there were any (task 2)
            throw new UnsupportedOperationException("TODO 2: implement emit()");
        }

        @Task(number = 3, title = "Listen just once with once()",
                hint = "Register a new Once listener that wraps the original: its call() first removes itself"
                        + " with off(event, this), then calls the original.")
        EventEmitter once(String event, Listener listener) {
            // TODO 3: register a Once that wraps the listener (see the Once record below) (task 3)
            throw new UnsupportedOperationException("TODO 3: implement once()");
        }

        @Task(number = 4, title = "Stop listening with off()",
                hint = "Remove the first entry that is the listener itself or a Once whose original() is it."
                        + " Forget the event name once its list is empty.")
        EventEmitter off(String event, Listener listener) {
            // TODO 4: remove the listener, or the Once wrapping it, from the event's list (task 4)
            throw new UnsupportedOperationException("TODO 4: implement off()");
        }

        @Task(number = 5, title = "Keep going when a listener throws",
                hint = "Wrap the call in try/catch (RuntimeException e) and record the failure with"
                        + " errors.add(event + \": \" + e.getMessage()); the loop in emit() then goes on.")
        private void deliver(String event, Listener listener, Object[] args) {
            // TODO 5: this works until a listener throws; catch it and add "event: message" to errors (task 5)
            listener.call(args);
        }

        @Task(number = 6, title = "Register @On methods",
                hint = "For each method of target.getClass() with an @On annotation, check every parameter type"
                        + " against ALLOWED_PARAMETERS (throw IllegalArgumentException naming Class.method and the"
                        + " parameter), then on(name, args -> invoke(target, method, args)).")
        EventEmitter register(Object target) {
            // TODO 6: turn each @On method of target into a listener; reject bad parameter types (task 6)
            throw new UnsupportedOperationException("TODO 6: implement register()");
        }

        /** Calls an @On method with the emitted arguments; a mismatch becomes a clear error. */
        private static void invoke(Object target, Method method, Object[] args) {
            if (args.length != method.getParameterCount()) {
                throw new IllegalArgumentException(method.getName() + " takes " + method.getParameterCount()
                        + " argument(s) but the event carried " + args.length);
            }
            try {
                method.invoke(target, args);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot call " + method.getName(), e);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
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

    /** A listener that removes itself before its first call (task 3). */
    record Once(EventEmitter emitter, String event, Listener original) implements Listener {
        @Override
        public void call(Object... args) {
            emitter.off(event, this);
            original.call(args);
        }
    }

    /** A class whose methods listen through annotations instead of on(). */
    static class Greeter {
        @On("greet")
        void wave(String name) {
            System.out.println("  (Greeter waves at " + name + ")");
        }

        @On("leave")
        void bye(String name, int minutes) {
            System.out.println("Goodbye, " + name + " (stayed " + minutes + " min)");
        }
    }

    public static void main(String[] args) {
        Exercise.run(Events.class, () -> {
            EventEmitter emitter = new EventEmitter();
            emitter.on("greet", names -> System.out.println("Hello, " + names[0]));
            emitter.once("greet", names -> System.out.println("  (only the first greeting is heard by once: " + names[0] + ")"));
            emitter.emit("greet", "Alice");
            emitter.emit("greet", "Bob");

            Listener loud = names -> System.out.println("  HELLO, " + names[0].toString().toUpperCase() + "!");
            emitter.on("greet", loud).emit("greet", "Carol");
            emitter.off("greet", loud).emit("greet", "Dave");

            emitter.register(new Greeter());
            emitter.on("leave", leaveArgs -> {
                throw new IllegalStateException("this listener is broken");
            });
            emitter.emit("greet", "Erin");
            emitter.emit("leave", "Alice", 42);
            System.out.println("Errors reported while the others kept going: " + emitter.errors());
            System.out.println("Nobody listens to 'typing', so emit returned " + emitter.emit("typing", "Frank"));
        });
    }
}
