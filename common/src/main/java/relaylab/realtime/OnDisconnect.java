package relaylab.realtime;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an object given to {@code register(...)} that is called once when a socket of the
 * namespace disconnects, after it left its rooms.
 * <p>Allowed parameters, in any order: {@link RealtimeSocket}, {@link Handshake}, and one String that
 * receives the reason (e.g. "client namespace disconnect", "transport close", "ping timeout").
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnDisconnect {
}
