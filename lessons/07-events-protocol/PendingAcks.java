import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import relaylab.workbook.Task;

/**
 * The calls that wait for an acknowledgement. An EVENT with an ack id (e.g. {@code 4212["ping",1]})
 * asks the other side to answer with an ACK carrying the same id ({@code 4312["pong"]}); this class
 * hands out the ids, matches each ACK to its call, and gives up on a call after its timeout.
 */
@Task(number = 4, title = "Match acks to their calls, with a timeout",
        hint = "expect(): take id = nextId.getAndIncrement(), put a new future in waiting, then schedule on timers a"
                + " task that removes the id and, if it was still there, fails the future with a TimeoutException"
                + " naming the event, the id and the timeout; cancel that timer when the future completes"
                + " (whenComplete). resolve(): remove the ack's id from waiting and complete that future with the"
                + " ack's data; false when nothing was waiting.")
final class PendingAcks {
    /** A call that waits: the id to put in the EVENT, and the future its ACK completes. */
    record Call(long id, CompletableFuture<JsonNode> reply) {
    }

    private final ScheduledExecutorService timers;
    private final Map<Long, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();

    PendingAcks(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    /** Registers a call of {@code event} that waits at most {@code timeout} for its ACK; ids count 0, 1, 2... */
    Call expect(String event, Duration timeout) {
        // TODO 4: hand out the next id, remember the call, and fail it with a TimeoutException after the timeout (task 4)
        throw new UnsupportedOperationException("TODO 4: register a call that waits for its ack");
    }

    /** Completes the call an ACK answers; false when no call waits for its id (unknown, or too late). */
    boolean resolve(Packet ack) {
        // TODO 4: complete the call waiting for this ack id with the ack's data; false when none waits (task 4)
        throw new UnsupportedOperationException("TODO 4: match an ack to its call");
    }

    /** How many calls still wait. */
    int size() {
        return waiting.size();
    }
}
