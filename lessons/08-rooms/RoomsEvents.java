import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import relaylab.realtime.Middleware;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.RealtimeSocket;

/**
 * What travels between lesson 08's server and its clients. RoomsEvents reads what clients send, before
 * any task code runs: the name a socket connects with (a middleware), the text argument of an event, and
 * a whisper's {to, text}; it also serves the page. The records below it are what the server sends. Nothing to
 * write here.
 */
final class RoomsEvents {

    private RoomsEvents() {
    }

    /** Serves the page (index.html) from the classpath root; main and the tests pass this to the server. */
    static void configure(RealtimeConfig config) {
        config.staticFiles(RoomsEvents.class, "/");
    }

    /**
     * A middleware that lets a socket in only with a free name of 1 to {@code maxLength} characters
     * (the "name" of its auth), puts the name in {@code users} (name to socket id) and in socket.data().
     */
    static Middleware uniqueName(Map<String, String> users, int maxLength) {
        return (socket, next) -> {
            String name = socket.handshake().auth().get("name") instanceof String s ? s.strip() : "";
            if (name.isEmpty() || name.length() > maxLength) {
                next.fail("Pick a name of 1 to " + maxLength + " characters.");
            } else if (users.putIfAbsent(name, socket.id()) != null) {
                next.fail("The name \"" + name + "\" is taken; pick another one.");
            } else {
                socket.data().put("name", name);
                next.ok();
            }
        };
    }

    /** The socket's name, put in socket.data() by {@link #uniqueName} when it connected. */
    static String name(RealtimeSocket socket) {
        return (String) socket.data().get("name");
    }

    /** The first argument when it is a string with something in it, stripped; null otherwise. */
    static String text(List<Object> args) {
        return args.size() > 0 && args.get(0) instanceof String s && !s.isBlank() ? s.strip() : null;
    }

    /** The answer to a join for a room that does not exist, naming the rooms that do. */
    static Reply noSuchRoom(String room, List<String> rooms) {
        return Reply.refused("There is no room \"" + room + "\"; the rooms are " + String.join(", ", rooms) + ".");
    }

    /** The whisper a client sent, or null when it is not a {to, text} object with both filled in. */
    static Whisper whisper(List<Object> args) {
        if (args.isEmpty() || !(args.get(0) instanceof Map)) {
            return null;
        }
        try {
            Whisper w = RealtimeJson.convert(args.get(0), Whisper.class);
            return w.to() == null || w.text() == null || w.text().isBlank() ? null
                    : new Whisper(w.from(), w.to().strip(), w.text().strip());
        } catch (IllegalArgumentException e) {
            return null;   // not a {to, text} object: the handler answers that a whisper needs {to, text}
        }
    }
}

/** Who joined or left a room, with its members now: events "joined", "left", and "room" to the mover. */
record Presence(String room, String name, List<String> members) {
}

/** A message said in a room (event "message"). */
record Message(String room, String from, String text) {
}

/** A private message from one user to another (event "whisper"). */
record Whisper(String from, String to, String text) {
}

/** The ack of join, say, whisper and announce: ok (with how many sockets an announcement reached) or an error. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Reply(boolean ok, String error, Integer reached) {
    static final Reply OK = new Reply(true, null, null);

    static Reply refused(String error) {
        return new Reply(false, error, null);
    }
}
