package relaylab.httpchat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where {@link ChatServer} keeps messages. Lesson 02 writes its own ({@code Board}); lesson 04
 * measures a finished one kept in its own folder. All methods are called from the server's I/O threads and
 * must never block.
 */
public interface MessageBoard {

    /**
     * Stores a message and gives it the next id; called for every {@code POST /messages} and every
     * WebSocket message. Must also complete the requests held by {@link #waitFor}.
     */
    ChatMessage post(String user, String text, long sentAt);

    /** The stored messages with an id above {@code id}, oldest first; answers {@code GET /messages?since=id}. */
    List<ChatMessage> since(long id);

    /**
     * Answers {@code GET /messages?since=id&wait=ms} (long polling): completes with the messages
     * after {@code id} as soon as there is at least one, or with an empty list once {@code timeout}
     * has passed. Returns at once; the server sends the answer when the future completes.
     */
    CompletableFuture<List<ChatMessage>> waitFor(long id, Duration timeout);
}
