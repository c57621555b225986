package relaylab.realtime.testing;

import java.time.Instant;
import java.util.List;

/**
 * One event a {@link TestClient} received, as shown in failure messages and returned by
 * {@link TestClient#received()}.
 *
 * @param name the event name
 * @param args the arguments after the name (plain Java values: String, numbers, Boolean, Map, List, byte[])
 * @param time when it arrived
 */
public record ReceivedEvent(String name, List<Object> args, Instant time) {
    @Override
    public String toString() {
        return name + args;
    }
}
