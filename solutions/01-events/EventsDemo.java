import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import relaylab.workbook.Exercise;

/**
 * What {@code ./jbang lesson01} shows: an emitter with on, once, off, a listener that throws and an
 * object registered through {@code @On}. Nothing to write here (Events.main runs it); an unfinished
 * TODO the demo runs into is named, with its hint.
 */
final class EventsDemo {
    private EventsDemo() {
    }

    /** Calls an @On method with the emitted arguments; a mismatch becomes a clear error (used by register()). */
    static void invoke(Object target, Method method, Object[] args) {
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

    /** A class whose methods listen through annotations instead of on(). */
    static class Greeter {
        @Events.On("greet")
        void wave(String name) {
            System.out.println("  (Greeter waves at " + name + ")");
        }

        @Events.On("leave")
        void bye(String name, int minutes) {
            System.out.println("Goodbye, " + name + " (stayed " + minutes + " min)");
        }
    }

    public static void main(String[] args) {
        Exercise.run(Events.class, () -> {
            Events.EventEmitter emitter = new Events.EventEmitter();
            emitter.on("greet", names -> System.out.println("Hello, " + names[0]));
            emitter.once("greet", names -> System.out.println("  (only the first greeting is heard by once: " + names[0] + ")"));
            emitter.emit("greet", "Alice");
            emitter.emit("greet", "Bob");

            Events.Listener loud = names -> System.out.println("  HELLO, " + names[0].toString().toUpperCase() + "!");
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
