import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

class ChatWorkerTest {
    private final List<String> logged = new CopyOnWriteArrayList<>();

    /** A server of the test's own (not the lesson's), so these tests need none of tasks 1 and 2. */
    private static void broadcastServer(RealtimeServer server) {
        server.on("connection", socket -> {
            socket.emit("welcome", Map.of("you", socket.id(), "others", 0));
            socket.on("chat", args -> socket.broadcast().emit("chat", Map.of("from", socket.id(), "text", args.get(0))));
        });
    }

    /** Waits until a log line matches: a worker may count a message a moment before it logs it. */
    private void awaitLogged(Predicate<String> line, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (logged.stream().noneMatch(line)) {
            if (System.nanoTime() > end) {
                assertThat(logged).as("the worker's log shows %s within %d s", what, WAIT.toSeconds()).anyMatch(line);
            }
            Thread.sleep(10);
        }
    }

    private ChatWorker worker(RealtimeFixture fx, int messages, long minMillis, long maxMillis) {
        return new ChatWorker("w1", fx.url(), messages, Duration.ofMillis(minMillis), Duration.ofMillis(maxMillis),
                new Random(42), logged::add).awaitConnected(WAIT);
    }

    @Test
    @Tag("task:3")
    @DisplayName("a worker logs its welcome and hears each message from someone else, with who sent it")
    void workerHearsOthers() throws Exception {
        try (RealtimeFixture fx = RealtimeFixture.start(ChatWorkerTest::broadcastServer);
             ChatWorker worker = worker(fx, 0, 1, 1)) {
            TestClient other = fx.client();
            other.emit("chat", "hello workers");
            assertThat(worker.awaitHeard(1, WAIT)).as("the worker heard one message within 5 s (log: %s)", logged).isTrue();
            assertThat(worker.heard()).as("what the worker heard")
                    .containsExactly(new BroadcastChat.Message(other.id(), "hello workers"));
            awaitLogged(line -> line.contains("w1") && line.contains("welcomed"), "its welcome");
            awaitLogged(line -> line.contains("w1") && line.contains("hello workers"), "the message it heard");
        }
    }

    @Test
    @Tag("task:3")
    @DisplayName("a worker that gets its own message back counts it as an echo, not as heard")
    void workerSpotsItsOwnMessage() throws Exception {
        try (RealtimeFixture fx = RealtimeFixture.start(ChatWorkerTest::broadcastServer);
             ChatWorker worker = worker(fx, 0, 1, 1)) {
            fx.server().emit("chat", Map.of("from", worker.id(), "text", "my own words"));
            fx.server().emit("chat", Map.of("from", "someone-else", "text", "other words"));
            assertThat(worker.awaitHeard(1, WAIT)).as("the worker heard the other message within 5 s (log: %s)", logged)
                    .isTrue();
            assertThat(worker.heard()).as("what the worker counted as heard")
                    .containsExactly(new BroadcastChat.Message("someone-else", "other words"));
            assertThat(worker.ownEchoes()).as("own messages the worker got back").isEqualTo(1);
        }
    }

    @Test
    @Tag("task:4")
    @DisplayName("nextPause() picks random pauses between the two limits, both limits included")
    void pausesAreRandomWithinLimits() {
        try (RealtimeFixture fx = RealtimeFixture.start(ChatWorkerTest::broadcastServer);
             ChatWorker worker = worker(fx, 0, 10, 14)) {
            Set<Long> seen = new TreeSet<>();
            for (int i = 0; i < 500; i++) {
                seen.add(worker.nextPause().toMillis());
            }
            // 500 fair picks among 5 values miss one of them with a chance of about 1 in 10^48
            assertThat(seen).as("pauses in ms picked by 500 calls with limits 10 and 14, both included")
                    .containsExactly(10L, 11L, 12L, 13L, 14L);
        }
    }

    @Test
    @Tag("task:4")
    @DisplayName("talk() says its messages one after the other, pausing before each")
    void talkSendsItsMessages() throws Exception {
        try (RealtimeFixture fx = RealtimeFixture.start(ChatWorkerTest::broadcastServer);
             ChatWorker worker = worker(fx, 3, 20, 40)) {
            TestClient listener = fx.client();
            long start = System.nanoTime();
            worker.talk();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            List<List<Object>> chats = listener.awaitCount("chat", 3);
            List<Object> texts = new ArrayList<>();
            chats.forEach(args -> texts.add(((Map<?, ?>) args.get(0)).get("text")));
            assertThat(texts).as("what another client heard from the worker").containsExactlyElementsOf(worker.sent());
            assertThat(worker.sent()).as("what the worker sent").hasSize(3).doesNotHaveDuplicates();
            assertThat(tookMillis).as("how long talk() took for 3 messages with pauses of at least 20 ms")
                    .isGreaterThanOrEqualTo(60);
        }
    }
}
