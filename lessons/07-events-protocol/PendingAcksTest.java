import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("task:4")
class PendingAcksTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final PendingAcks acks;

    PendingAcksTest() {
        timers.setRemoveOnCancelPolicy(true);
        acks = new PendingAcks(timers);
    }

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    @DisplayName("each call gets the next ack id: 0, 1, 2")
    void idsCountUp() {
        assertThat(acks.expect("a", LONG).id()).as("the first call's ack id").isEqualTo(0);
        assertThat(acks.expect("b", LONG).id()).as("the second call's ack id").isEqualTo(1);
        assertThat(acks.expect("c", LONG).id()).as("the third call's ack id").isEqualTo(2);
        assertThat(acks.size()).as("calls waiting").isEqualTo(3);
    }

    @Test
    @DisplayName("an ACK completes the call with the same id, with the ACK's data, and no other call")
    void ackCompletesItsCall() throws Exception {
        PendingAcks.Call first = acks.expect("add", LONG);
        PendingAcks.Call second = acks.expect("add", LONG);
        boolean matched = acks.resolve(Packet.ack("/", 1, 5));
        assertThat(matched).as("resolve() of the ACK for id 1").isTrue();
        JsonNode reply = second.reply().get(5, TimeUnit.SECONDS);
        assertThat(reply.toString()).as("what the call with id 1 received").isEqualTo("[5]");
        assertThat(first.reply()).as("the call with id 0, which got no ACK yet").isNotDone();
        assertThat(acks.size()).as("calls still waiting").isEqualTo(1);
    }

    @Test
    @DisplayName("an ACK nobody waits for is refused (resolve returns false)")
    void unknownAckIsRefused() {
        acks.expect("add", LONG);
        assertThat(acks.resolve(Packet.ack("/", 99, "late"))).as("resolve() of an ACK with id 99").isFalse();
        assertThat(acks.size()).as("calls still waiting").isEqualTo(1);
    }

    @Test
    @DisplayName("a call without an ACK fails with a TimeoutException naming the event, and stops waiting")
    void callTimesOut() {
        PendingAcks.Call call = acks.expect("slow", Duration.ofMillis(50));
        assertThatThrownBy(() -> call.reply().get(5, TimeUnit.SECONDS))
                .as("the reply of a call nobody answers, 50 ms timeout")
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("slow");
        assertThat(acks.size()).as("calls waiting after the timeout").isZero();
        assertThat(acks.resolve(Packet.ack("/", 0, "too late")))
                .as("resolve() of an ACK that comes after the timeout").isFalse();
        assertThat(call.reply()).as("the timed-out call after a late ACK").isCompletedExceptionally();
    }

    @Test
    @DisplayName("a call answered in time leaves no timer behind")
    void answeredCallCancelsItsTimer() {
        acks.expect("add", LONG);
        assertThat(timers.getQueue()).as("timers scheduled while the call waits").hasSize(1);
        acks.resolve(Packet.ack("/", 0, 5));
        assertThat(timers.getQueue()).as("timers still scheduled after the ACK came").isEmpty();
    }
}
