package relaylab.realtime.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's side of connection state recovery, as socket.io's client (4.6+) does it: remember the private
 * session id ({@code pid}) the server sent in its CONNECT answer and the offset of the last event received
 * (its last argument, when a string), send both in the next CONNECT, and tell whether the server recovered the
 * session (same pid in its answer). Nothing happens unless the server offers a pid. Thread-safe.
 */
final class ClientRecovery {
    private String pid;
    private String lastOffset;
    private boolean recovered;

    /** The auth object of the next CONNECT: {@code {pid, offset}} (when known) overlaid with the user's own. */
    synchronized Map<String, Object> auth(Map<String, ?> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (pid != null) {
            values.put("pid", pid);
            if (lastOffset != null) {
                values.put("offset", lastOffset);
            }
        }
        if (given != null) {
            values.putAll(given);
        }
        return values;
    }

    /** The CONNECT answer's data arrived: recovered when it carries the pid this client sent. */
    synchronized void connected(Object answer) {
        Object newPid = answer instanceof Map<?, ?> m ? m.get("pid") : null;
        recovered = newPid != null && newPid.equals(pid);
        pid = newPid instanceof String p ? p : null;
    }

    /** An event arrived: with recovery on, its last argument is its offset. */
    synchronized void received(List<Object> args) {
        if (pid != null && !args.isEmpty() && args.get(args.size() - 1) instanceof String offset) {
            lastOffset = offset;
        }
    }

    synchronized boolean recovered() {
        return recovered;
    }
}
