package relaylab.realtime;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an object given to {@code register(...)} that is called each time a connected
 * socket of the namespace emits the named event.
 * <p>Allowed parameters, in any order: {@link RealtimeSocket} (the sender), {@link Ack} (to reply; at most
 * one), {@link Handshake}, and data parameters that receive the event's arguments in order, converted
 * from JSON with Jackson: String, numbers (int/long/double and boxes), boolean, records and beans,
 * {@code Map}, {@code List} (generics honoured), {@code byte[]} for binary, JsonNode or Object.
 * Interfaces and abstract types other than these make {@code register} throw IllegalArgumentException.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnEvent {
    /** The event name, e.g. "chat". */
    String value();
}
