package relaylab.httpchat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A plain board for the server's own tests (lesson 02 writes the learner's): held requests map to the id they wait after. */
final class TestBoard implements MessageBoard {
    private final List<ChatMessage> messages = new ArrayList<>();
    private final Map<CompletableFuture<List<ChatMessage>>, Long> held = new ConcurrentHashMap<>();

    @Override
    public ChatMessage post(String user, String text, long sentAt) {
        ChatMessage message;
        synchronized (this) {
            message = new ChatMessage(messages.size() + 1, user, text, sentAt);
            messages.add(message);
        }
        held.forEach((answer, since) -> answer.complete(since(since)));
        return message;
    }

    @Override
    public synchronized List<ChatMessage> since(long id) {
        return List.copyOf(messages.subList((int) Math.max(0, Math.min(id, messages.size())), messages.size()));
    }

    @Override
    public CompletableFuture<List<ChatMessage>> waitFor(long id, Duration timeout) {
        CompletableFuture<List<ChatMessage>> answer = new CompletableFuture<>();
        synchronized (this) {
            if (messages.size() > id) {
                return CompletableFuture.completedFuture(since(id));
            }
            held.put(answer, id);
        }
        answer.whenComplete((result, error) -> held.remove(answer));
        return answer.completeOnTimeout(List.of(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many requests are held now. */
    int held() {
        return held.size();
    }
}
