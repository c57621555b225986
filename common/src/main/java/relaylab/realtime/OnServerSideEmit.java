package relaylab.realtime;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an object given to {@code register(...)} that is called each time another server of the
 * cluster sends the named event with {@code serverSideEmit} (Java's {@link Namespace#serverSideEmit} or socket.io's
 * {@code io.serverSideEmit}), on a worker thread of this server. Nothing calls it with a single server.
 * <p>Allowed parameters, in any order: {@link Ack} (at most one; {@code ack.send(x)} answers a
 * {@code serverSideEmitWithAck}, only its first argument travels back) and data parameters that receive the
 * event's arguments in order, converted as for {@link OnEvent}. There is no socket: the sender is a server.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnServerSideEmit {
    /** The event name, e.g. "reload-config". */
    String value();
}
