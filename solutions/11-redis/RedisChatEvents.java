import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What travels between lesson 11's server and its pages, besides the messages (ChatStore.ChatMessage):
 * the acknowledgement below, and the reading of what a client sends (which may be anything). Nothing to write here.
 */
final class RedisChatEvents {
    private RedisChatEvents() {
    }

    /** The first argument when it is a string, else null. */
    static String text(List<Object> args) {
        return args.size() > 0 && args.get(0) instanceof String s ? s : null;
    }
}

/** The acknowledgement of register and sendMessage: ok (with the name), or an error sentence for the user. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Reply(boolean ok, String error, String username) {
    static Reply refused(String error) {
        return new Reply(false, error, null);
    }
}
