import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import relaylab.workbook.Task;

/**
 * Who is online in the chat: one username per socket, unique without regard to case. Kept in memory
 * by the server; every method is synchronized because handlers of different sockets run at the same time.
 */
final class UserRegistry {
    /** The longest username accepted, in characters. */
    static final int MAX_LENGTH = 20;

    private final Map<String, String> namesBySocket = new LinkedHashMap<>();

    /**
     * The answer to a {@code register} event, sent back to the client as its acknowledgement.
     *
     * @param ok       true when the username was taken by this socket
     * @param username the registered name (trimmed) when ok, otherwise null
     * @param error    a sentence for the user when not ok, otherwise null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Registration(boolean ok, String username, String error) {
        static Registration accepted(String username) {
            return new Registration(true, username, null);
        }

        static Registration refused(String error) {
            return new Registration(false, null, error);
        }
    }

    @Task(number = 1, title = "Validate and register a username",
            hint = "Refuse null or blank names, names longer than MAX_LENGTH after strip(), a socket that already"
                    + " has a name, and a name another socket holds (compare with equalsIgnoreCase). Otherwise"
                    + " put socketId -> name in namesBySocket and return Registration.accepted(name).")
    synchronized Registration register(String socketId, String requested) {
        // TODO 1: refuse an empty, too long or taken name (and a second name for one socket), else keep it (task 1)
        throw new UnsupportedOperationException("TODO 1: validate and register the username");
    }

    /** The username of a socket, or null when it has not registered. */
    synchronized String nameOf(String socketId) {
        return namesBySocket.get(socketId);
    }

    /** Forgets a socket's username (it disconnected) and returns it, or null when it had none. */
    synchronized String unregister(String socketId) {
        return namesBySocket.remove(socketId);
    }

    /** The usernames online now, sorted without regard to case. */
    synchronized List<String> online() {
        List<String> names = new ArrayList<>(namesBySocket.values());
        names.sort(String.CASE_INSENSITIVE_ORDER);
        return names;
    }
}
