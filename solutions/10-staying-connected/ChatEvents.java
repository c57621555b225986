import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What travels between lesson 10's server and its tabs: the records below are what the server sends, and
 * ChatEvents checks what a tab sends (which may be anything) before your code sees it. Nothing to write here.
 */
final class ChatEvents {
    private ChatEvents() {
    }

    /** Checks a say event ({id, text}) and posts it; the ack is {ok: true, offset} or {ok: false, error}. */
    static Map<String, Object> say(List<Object> args, BiFunction<String, String, Message> post) {
        if (args.isEmpty() || !(args.get(0) instanceof Map<?, ?> m) || !(m.get("id") instanceof String id)
                || !(m.get("text") instanceof String text) || id.isBlank() || text.isBlank()) {
            return refused("say needs {id, text}, both non-empty strings.");
        }
        return Map.of("ok", true, "offset", post.apply(id, text.strip()).offset());
    }

    /** The ack of a say that was refused, with a sentence for the user. */
    static Map<String, Object> refused(String error) {
        return Map.of("ok", false, "error", error);
    }
}

/** A chat message; offset orders all of them, id is chosen by the sender's tab (the same when it resends). */
record Message(long offset, String id, String from, String text, long at) { }

/** What a socket gets when it connects: what it missed (resumed) or the recent history (not resumed). */
record Catchup(boolean resumed, List<Message> messages) { }
