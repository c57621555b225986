package relaylab.realtime;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an object given to {@code register(...)} that is called each time a socket has
 * connected to the namespace (after the middlewares accepted it).
 * <p>Allowed parameters, in any order: {@link RealtimeSocket} (the new socket) and {@link Handshake}.
 * Any other parameter makes {@code register} throw IllegalArgumentException naming {@code Class.method}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnConnect {
}
