package relaylab.realtime;

import relaylab.workbook.Todo;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Remembers the first unfinished exercise TODO (an {@code UnsupportedOperationException("TODO N: ...")}) that
 * a server handler ran into, so that a lesson's {@code main} can hand it to {@code Exercise.run} ("start with
 * TODO N") and its tests can fail at once instead of waiting for an event that cannot come. Install it when the
 * lesson sets up its server: {@code server.onHandlerError(todos)}. Other errors are left to the server's log.
 */
public final class TodoRecorder implements HandlerErrorListener {
    private final Function<String, ?> reply;
    private final CompletableFuture<UnsupportedOperationException> first = new CompletableFuture<>();

    /** A recorder that only remembers the TODO (a sender waiting for an ack keeps waiting until its timeout). */
    public TodoRecorder() {
        this.reply = null;
    }

    /**
     * A recorder that also answers the failed event's ack, when the sender waits for one, with
     * {@code reply.apply(todoMessage)}, e.g. {@code new TodoRecorder(Reply::refused)}: the sender (a page, a bot,
     * a test) learns about the TODO at once.
     */
    public TodoRecorder(Function<String, ?> reply) {
        this.reply = Objects.requireNonNull(reply, "reply");
    }

    /**
     * True for an UnsupportedOperationException whose message starts with "TODO k" (an exercise's unwritten code,
     * see {@link Todo}).
     */
    public static boolean isTodo(Throwable error) {
        return Todo.isStub(error);
    }

    @Override
    public void onHandlerError(RealtimeSocket socket, String event, Throwable error, Ack ack) {
        if (!isTodo(error)) {
            return;
        }
        first.complete((UnsupportedOperationException) error);
        if (reply != null && ack.requested()) {
            ack.send(reply.apply(error.getMessage()));
        }
    }

    /** The first TODO a handler ran into, or null when none did (yet). */
    public UnsupportedOperationException get() {
        return first.getNow(null);
    }

    /** Throws the first TODO a handler ran into, if any; for a lesson's main between demo steps. */
    public void throwIfAny() {
        UnsupportedOperationException todo = get();
        if (todo != null) {
            throw todo;
        }
    }

    /** Blocks until a handler runs into a TODO and returns it; for a main that serves until then. */
    public UnsupportedOperationException await() throws InterruptedException {
        try {
            return first.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: the recorder never fails", e);
        }
    }

    @Override
    public String toString() {
        UnsupportedOperationException todo = get();
        return "TodoRecorder[" + (todo == null ? "no TODO yet" : todo.getMessage()) + "]";
    }
}
