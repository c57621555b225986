import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import relaylab.httpchat.ChatMessage;
import relaylab.httpchat.MessageBoard;

/**
 * Lesson 02's message board, finished (nothing to write here): ids count up from 1, and each held
 * long-polling request is a future that the next {@link #post} completes, or a timer completes with an
 * empty list. Lesson 04 measures every transport on this board.
 */
final class MemoryBoard implements MessageBoard {
    private final List<ChatMessage> messages = new ArrayList<>();
    private final List<Held> held = new ArrayList<>();

    /** A long-polling request waiting for a message after {@code since}. */
    private record Held(long since, CompletableFuture<List<ChatMessage>> answer) {
    }

    @Override
    public ChatMessage post(String user, String text, long sentAt) {
        ChatMessage message;
        List<Held> ready;
        synchronized (this) {
            message = new ChatMessage(messages.size() + 1, user, text, sentAt);
            messages.add(message);
            ready = List.copyOf(held);
            held.clear();
        }
        for (Held request : ready) {
            request.answer().complete(since(request.since()));
        }
        return message;
    }

    @Override
    public synchronized List<ChatMessage> since(long id) {
        int from = (int) Math.max(0, Math.min(id, messages.size()));
        return List.copyOf(messages.subList(from, messages.size()));
    }

    @Override
    public CompletableFuture<List<ChatMessage>> waitFor(long id, Duration timeout) {
        CompletableFuture<List<ChatMessage>> answer = new CompletableFuture<>();
        Held request = new Held(id, answer);
        synchronized (this) {
            if (messages.size() > id) {
                return CompletableFuture.completedFuture(since(id));
            }
            held.add(request);
        }
        answer.completeOnTimeout(List.of(), timeout.toMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((messages, error) -> forget(request));
        return answer;
    }

    /** How many long-polling requests are held right now (for tests and the lesson's output). */
    synchronized int held() {
        return held.size();
    }

    private synchronized void forget(Held request) {
        held.remove(request);
    }
}
