import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The latest messages of the chat, oldest first, kept in memory so a newcomer can catch up. Bounded:
 * a chat that runs for weeks must not fill the server's memory. Lesson 11 keeps them in Redis instead.
 * Every method is synchronized because handlers of different sockets run at the same time.
 */
final class ChatHistory {
    private final int capacity;
    private final Deque<ChatMessage> messages = new ArrayDeque<>();

    /** A history that keeps the last {@code capacity} messages. */
    ChatHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a chat history keeps at least 1 message, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds a message at the end; when the history is full, the oldest message is dropped. */
    synchronized void add(ChatMessage message) {
        // TODO 2: add the message at the end and drop the oldest ones beyond capacity (task 2)
        throw new UnsupportedOperationException("TODO 2: keep the message in the history");
    }

    /** The messages kept, oldest first (a copy: safe to send while others add). */
    synchronized List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    /** How many messages are kept at most. */
    int capacity() {
        return capacity;
    }
}
