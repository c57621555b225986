import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What travels between lesson 09's server and its pages: the records below are what the server sends, and
 * ChatEvents reads what a client sends (which may be anything). Nothing to write here.
 */
final class ChatEvents {
    private ChatEvents() {
    }

    /** The first argument when it is a string, else null. */
    static String text(List<Object> args) {
        return args.size() > 0 && args.get(0) instanceof String s ? s : null;
    }
}

/** One chat message, as every client receives it in receiveMessage and in chatHistory. */
record ChatMessage(String id, String user, String text, String time) {
}

/** Someone started or stopped typing (the typing event). */
record Typing(String user, boolean typing) {
}

/** The acknowledgement of sendMessage: ok, or an error sentence for the user. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Reply(boolean ok, String error) {
    static final Reply OK = new Reply(true, null);

    static Reply refused(String error) {
        return new Reply(false, error);
    }
}
