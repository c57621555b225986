package relaylab.realtime.testing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reading what a test client received: events carry their data as JSON values, and lessons send one JSON object
 * as the first argument ({@code {"from":..,"text":..}}). Plain AssertionErrors that say what arrived instead.
 */
public final class EventArgs {
    private EventArgs() {
    }

    /** The first argument as a JSON object; AssertionError when there is none or it is not an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> first(List<Object> args) {
        if (args == null || args.isEmpty()) {
            throw new AssertionError("expected a JSON object as the first argument, but the event had no arguments");
        }
        if (!(args.get(0) instanceof Map<?, ?> map)) {
            throw new AssertionError("expected a JSON object as the first argument, but got " + describe(args.get(0)));
        }
        return (Map<String, Object>) map;
    }

    /**
     * True when the first argument is a JSON object holding each of the given key/value pairs, e.g.
     * {@code firstHas(args, "text", "hi", "from", id)}; for the predicates of {@code TestClient.await}.
     */
    public static boolean firstHas(List<Object> args, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("firstHas takes key/value pairs; got " + keysAndValues.length + " values");
        }
        if (args == null || args.isEmpty() || !(args.get(0) instanceof Map<?, ?> map)) {
            return false;
        }
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (!map.containsKey(keysAndValues[i]) || !Objects.equals(map.get(keysAndValues[i]), keysAndValues[i + 1])) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }
}
