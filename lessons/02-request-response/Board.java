import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import relaylab.httpchat.ChatMessage;
import relaylab.httpchat.MessageBoard;
import relaylab.workbook.Task;

/**
 * The chat's memory on the server: every message with its id, and the long-polling requests that
 * wait for the next one. ChatServer calls it from its I/O threads, so nothing here may block.
 */
class Board implements MessageBoard {
    private final List<ChatMessage> messages = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    /** A held GET: it wants the messages after {@code since}; completing {@code answer} sends the response. */
    record Waiter(long since, CompletableFuture<List<ChatMessage>> answer) {
    }

    @Override
    public ChatMessage post(String user, String text, long sentAt) {
        ChatMessage message = append(user, text, sentAt);
        wakeWaiters();
        return message;
    }

    @Task(number = 1, title = "Keep messages with ids",
            hint = "The id is the position in the list counted from 1 (messages.size() + 1 for a new one)."
                    + " since(id) then returns a copy of messages.subList(id, size): the ones the caller has not seen.")
    synchronized ChatMessage append(String user, String text, long sentAt) {
        // TODO 1: store a ChatMessage with the next id (1 for the first, then 2, 3, ...) and return it (task 1)
        throw new UnsupportedOperationException("TODO 1: store the message with the next id");
    }

    @Override
    public synchronized List<ChatMessage> since(long id) {
        // TODO 1: return a copy of the messages whose id is above id, oldest first (task 1)
        throw new UnsupportedOperationException("TODO 1: return the messages after an id");
    }

    @Override
    public CompletableFuture<List<ChatMessage>> waitFor(long id, Duration timeout) {
        CompletableFuture<List<ChatMessage>> answer = hold(id);
        return answer.isDone() ? answer : giveUpAfter(answer, timeout);
    }

    @Task(number = 3, title = "Hold the request until a message arrives",
            hint = "If since(id) is not empty, return CompletableFuture.completedFuture(it). Otherwise add a"
                    + " Waiter with a new CompletableFuture and return that future: no thread waits, the request just"
                    + " stays open. In wakeWaiters(), copy and clear the list inside synchronized (this), then complete"
                    + " each answer with since(waiter.since()) outside it.")
    synchronized CompletableFuture<List<ChatMessage>> hold(long since) {
        // TODO 3: answer at once if there are messages after since, else keep a Waiter and return its future (task 3)
        throw new UnsupportedOperationException("TODO 3: hold the request until a message arrives");
    }

    /** Answers the held requests; post() calls it after every new message. */
    private void wakeWaiters() {
        // TODO 3: take every waiter out of the list and complete its answer with the messages it waited for (task 3)
    }

    @Task(number = 4, title = "Give up after the timeout",
            hint = "answer.completeOnTimeout(List.of(), timeout.toMillis(), TimeUnit.MILLISECONDS) answers an empty"
                    + " list when nothing came in time. Then answer.whenComplete((messages, error) -> forget(answer)),"
                    + " or every request that timed out stays in the waiters list forever.")
    CompletableFuture<List<ChatMessage>> giveUpAfter(CompletableFuture<List<ChatMessage>> answer, Duration timeout) {
        // TODO 4: complete the answer with an empty list when the timeout passes; forget its waiter when it is done (task 4)
        throw new UnsupportedOperationException("TODO 4: give up after the timeout");
    }

    /** Removes the waiter whose answer this is (task 4 calls it once the answer is complete). */
    private synchronized void forget(CompletableFuture<List<ChatMessage>> answer) {
        waiters.removeIf(waiter -> waiter.answer() == answer);
    }

    /** How many requests are held right now. */
    synchronized int waiting() {
        return waiters.size();
    }
}
