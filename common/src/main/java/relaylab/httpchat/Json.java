package relaylab.httpchat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** Turns chat messages into JSON and back, for the server and the clients of this package. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<ChatMessage>> MESSAGES = new TypeReference<>() {
    };

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    /** Reads one message; a missing user or text is an {@link IllegalArgumentException} saying which. */
    static ChatMessage message(String json) {
        ChatMessage message;
        try {
            message = MAPPER.readValue(json, ChatMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("expected a JSON object like {\"user\":\"alice\",\"text\":\"hi\"}, got: "
                    + abbreviate(json));
        }
        if (message == null || message.user() == null || message.user().isBlank()
                || message.text() == null) {
            throw new IllegalArgumentException("a message needs a non-empty \"user\" and a \"text\", got: "
                    + abbreviate(json));
        }
        return message;
    }

    static List<ChatMessage> messages(String json) {
        try {
            return MAPPER.readValue(json, MESSAGES);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("expected a JSON array of messages, got: " + abbreviate(json));
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
