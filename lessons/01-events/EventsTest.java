import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class EventsTest {
    private final Events.EventEmitter emitter = new Events.EventEmitter();
    private final List<String> heard = new ArrayList<>();

    private Events.Listener record(String who) {
        return args -> heard.add(who + List.of(args));
    }

    @Test
    @Tag("task:1")
    @DisplayName("on() keeps every listener of an event")
    void onKeepsListeners() {
        emitter.on("greet", record("a")).on("greet", record("b")).on("leave", record("c"));
        assertThat(emitter.listenerCount("greet")).as("listeners registered for 'greet'").isEqualTo(2);
        assertThat(emitter.listenerCount("leave")).as("listeners registered for 'leave'").isEqualTo(1);
    }

    @Test
    @Tag("task:2")
    @DisplayName("emit() calls the listeners in the order they were added, with the arguments")
    void emitCallsInOrderWithArguments() {
        emitter.on("greet", record("first")).on("greet", record("second")).on("other", record("never"));
        boolean anyone = emitter.emit("greet", "Alice", 3);
        assertThat(heard).as("what the listeners heard, in order").containsExactly("first[Alice, 3]", "second[Alice, 3]");
        assertThat(anyone).as("emit() returns true when someone listened").isTrue();
    }

    @Test
    @Tag("task:2")
    @DisplayName("emit() of an event nobody listens to returns false and calls no one")
    void emitWithoutListeners() {
        emitter.on("greet", record("a"));
        assertThat(emitter.emit("typing")).as("emit() for an event without listeners").isFalse();
        assertThat(heard).as("listeners called").isEmpty();
    }

    @Test
    @Tag("task:2")
    @DisplayName("a listener may add another listener while emit() runs; the new one hears only later emits")
    void listenerAddsListenerDuringEmit() {
        emitter.on("greet", args -> {
            heard.add("first" + List.of(args));
            if (emitter.listenerCount("greet") == 1) {
                emitter.on("greet", record("added"));
            }
        });
        emitter.emit("greet", "Alice");
        emitter.emit("greet", "Bob");
        assertThat(heard).as("what the listeners heard, in order")
                .containsExactly("first[Alice]", "first[Bob]", "added[Bob]");
    }

    @Test
    @Tag("task:4")
    @DisplayName("a once() listener hears only the first emit, the on() listeners hear all")
    void onceHearsOnlyOnce() {
        emitter.once("greet", record("once")).on("greet", record("always"));
        emitter.emit("greet", "Alice");
        emitter.emit("greet", "Bob");
        assertThat(heard).as("what the listeners heard, in order")
                .containsExactly("once[Alice]", "always[Alice]", "always[Bob]");
        assertThat(emitter.listenerCount("greet")).as("listeners left after two emits").isEqualTo(1);
    }

    @Test
    @Tag("task:3")
    @DisplayName("off() removes a listener so later emits skip it")
    void offRemovesListener() {
        Events.Listener leaving = record("leaving");
        emitter.on("greet", leaving).on("greet", record("staying"));
        emitter.off("greet", leaving);
        emitter.emit("greet", "Alice");
        assertThat(heard).as("who heard the emit after off()").containsExactly("staying[Alice]");
    }

    @Test
    @Tag("task:4")
    @DisplayName("off() also removes a listener that was added with once()")
    void offRemovesOnceListener() {
        Events.Listener leaving = record("leaving");
        emitter.once("greet", leaving);
        emitter.off("greet", leaving);
        assertThat(emitter.emit("greet", "Alice")).as("emit() after removing the only listener").isFalse();
        assertThat(heard).as("listeners called").isEmpty();
    }

    @Test
    @Tag("task:5")
    @DisplayName("a listener that throws is reported and the next listeners still run")
    void throwingListenerDoesNotStopOthers() {
        emitter.on("greet", record("before"));
        emitter.on("greet", args -> {
            throw new IllegalStateException("broken listener");
        });
        emitter.on("greet", record("after"));
        emitter.emit("greet", "Alice");
        assertThat(heard).as("listeners before and after the broken one").containsExactly("before[Alice]", "after[Alice]");
        assertThat(emitter.errors()).as("errors() after one listener threw").containsExactly("greet: broken listener");
    }

    static class Guest {
        final List<String> calls = new ArrayList<>();

        @Events.On("greet")
        void hello(String name) {
            calls.add("hello " + name);
        }

        @Events.On("leave")
        void bye(String name, int minutes) {
            calls.add("bye " + name + " " + minutes);
        }

        void notAListener(String name) {
            calls.add("should never be called");
        }
    }

    @Test
    @Tag("task:6")
    @DisplayName("register() turns each @On method into a listener of its event")
    void registerAnnotatedMethods() {
        Guest guest = new Guest();
        emitter.register(guest);
        emitter.emit("greet", "Alice");
        emitter.emit("leave", "Alice", 42);
        assertThat(guest.calls).as("calls of the @On methods").containsExactly("hello Alice", "bye Alice 42");
        assertThat(emitter.listenerCount("greet")).as("listeners for 'greet' after register()").isEqualTo(1);
    }

    static class BadGuest {
        @Events.On("greet")
        void hello(Thread notAllowed) {
        }
    }

    static class StaticGuest {
        @Events.On("greet")
        static void hello(String name) {
        }
    }

    static class HalfGoodGuest {
        @Events.On("greet")
        void good(String name) {
        }

        @Events.On("leave")
        void bad(Thread notAllowed) {
        }
    }

    @Test
    @Tag("task:6")
    @DisplayName("register() rejects an @On method whose parameters cannot match, naming Class.method")
    void registerRejectsBadSignature() {
        assertThatThrownBy(() -> emitter.register(new BadGuest()))
                .as("register() of a method taking a Thread")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BadGuest.hello");
        assertThat(emitter.listenerCount("greet")).as("listeners registered from the rejected class").isZero();
    }

    @Test
    @Tag("task:6")
    @DisplayName("register() rejects a static @On method, naming Class.method")
    void registerRejectsStatic() {
        assertThatThrownBy(() -> emitter.register(new StaticGuest()))
                .as("register() of a static @On method")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StaticGuest.hello");
        assertThat(emitter.listenerCount("greet")).as("listeners registered from the rejected class").isZero();
    }

    @Test
    @Tag("task:6")
    @DisplayName("register() is all or nothing: one bad @On method and none of the object's methods listen")
    void registerAllOrNothing() {
        assertThatThrownBy(() -> emitter.register(new HalfGoodGuest()))
                .as("register() of a class with one good and one bad @On method")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HalfGoodGuest.bad");
        assertThat(emitter.listenerCount("greet")).as("listeners for 'greet' (the good method) after the rejection").isZero();
    }
}
