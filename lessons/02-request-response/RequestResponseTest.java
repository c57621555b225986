import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.httpchat.ChatClient;
import relaylab.httpchat.ChatMessage;
import relaylab.httpchat.ChatServer;

class RequestResponseTest {
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private final Board board = new Board();
    private final List<String> inbox = new CopyOnWriteArrayList<>();
    private final AtomicBoolean keepGoing = new AtomicBoolean(true);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private Future<?> loop;
    private ChatServer server;
    private ChatClient client;

    @BeforeEach
    void startServer() {
        server = ChatServer.start(board, 0);
        client = new ChatClient(server.url());
    }

    @AfterEach
    void stopEverything() {
        keepGoing.set(false);
        threads.shutdownNow();
        server.close();
    }

    /** Runs a polling loop on its own thread, the way the lesson's users do. */
    private void startLoop(Callable body) {
        loop = threads.submit(() -> {
            body.call();
            return null;
        });
    }

    interface Callable {
        void call() throws Exception;
    }

    /** Waits until the condition holds; fails at once if the polling loop died, with its error. */
    private void await(BooleanSupplier condition, String what) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (loop != null && loop.isDone()) {
                try {
                    loop.get();
                } catch (ExecutionException e) {
                    throw new AssertionError("the client stopped with " + e.getCause() + " while waiting for: " + what,
                            e.getCause());
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("waited " + DEADLINE.toSeconds() + " s for: " + what);
            }
            Thread.sleep(10);
        }
    }

    private void receive(ChatMessage message) {
        inbox.add(message.text());
    }

    // task 1: the store

    @Test
    @Tag("task:1")
    @DisplayName("messages get the ids 1, 2, 3 in the order they were posted")
    void idsCountUp() {
        List<Long> ids = List.of(board.post("alice", "hi", 1).id(), board.post("bob", "hello", 2).id(),
                board.post("alice", "how are you?", 3).id());
        assertThat(ids).as("ids of three posted messages").containsExactly(1L, 2L, 3L);
        assertThat(board.since(0)).as("since(0): every message, oldest first")
                .extracting(ChatMessage::text).containsExactly("hi", "hello", "how are you?");
    }

    @Test
    @Tag("task:1")
    @DisplayName("since(id) returns only the messages after that id, and nothing after the newest")
    void sinceReturnsOnlyNewer() {
        board.post("alice", "one", 1);
        board.post("bob", "two", 2);
        board.post("alice", "three", 3);
        assertThat(board.since(1)).as("since(1)").extracting(ChatMessage::text).containsExactly("two", "three");
        assertThat(board.since(3)).as("since(3), when 3 is the newest id").isEmpty();
    }

    @Test
    @Tag("task:1")
    @DisplayName("over HTTP: POST /messages stores a message and GET /messages?since=0 returns it")
    void postThenGetOverHttp() throws Exception {
        ChatMessage stored = client.post("alice", "hello over HTTP");
        assertThat(stored.id()).as("the id in the answer to the first POST").isEqualTo(1);
        assertThat(client.fetch(0)).as("GET /messages?since=0").extracting(ChatMessage::text)
                .containsExactly("hello over HTTP");
        assertThat(client.fetch(1)).as("GET /messages?since=1 (nothing newer)").isEmpty();
    }

    // task 2: short polling

    @Test
    @Tag("task:2")
    @DisplayName("the short-polling loop hands every message to the inbox once, in order")
    void shortPollDeliversEachMessageOnce() throws Exception {
        board.post("alice", "one", System.nanoTime());
        board.post("bob", "two", System.nanoTime());
        startLoop(() -> RequestResponse.shortPoll(client, Duration.ofMillis(50), this::receive, keepGoing::get));
        await(() -> inbox.size() >= 2, "the two messages posted before polling started");
        board.post("alice", "three", System.nanoTime());
        await(() -> inbox.size() >= 3, "a third message posted while polling");
        long requests = client.requests();
        await(() -> client.requests() >= requests + 3, "three more polls after the last message");
        assertThat(inbox).as("what the loop gave the inbox (a repeat means it did not remember the last id)")
                .containsExactly("one", "two", "three");
    }

    @Test
    @Tag("task:2")
    @DisplayName("the short-polling loop waits the interval between two requests")
    void shortPollWaitsBetweenRequests() throws Exception {
        startLoop(() -> RequestResponse.shortPoll(client, Duration.ofMillis(300), this::receive, keepGoing::get));
        await(() -> client.requests() >= 1, "the first poll");
        long first = System.nanoTime();
        await(() -> client.requests() >= 4, "three more polls");
        long millis = (System.nanoTime() - first) / 1_000_000;
        assertThat(millis).as("ms from the 1st to the 4th poll with an interval of 300 ms: three sleeps of the"
                + " interval take at least 900 ms (a shorter sleep asks too often)").isGreaterThanOrEqualTo(880);
        keepGoing.set(false);
        await(loop::isDone, "the loop to stop once keepGoing returns false");
    }

    // task 3: the held request

    @Test
    @Tag("task:3")
    @DisplayName("hold() answers at once when there are already messages after the id")
    void holdAnswersAtOnce() throws Exception {
        board.post("alice", "already here", 1);
        CompletableFuture<List<ChatMessage>> answer = board.hold(0);
        assertThat(answer).as("hold(0) when message 1 exists").isDone();
        assertThat(answer.get()).as("its messages").extracting(ChatMessage::text).containsExactly("already here");
    }

    @Test
    @Tag("task:3")
    @DisplayName("hold() keeps the request open, and the next post() answers it")
    void holdIsAnsweredByPost() throws Exception {
        board.post("alice", "old", 1);
        CompletableFuture<List<ChatMessage>> answer = board.hold(1);
        assertThat(answer).as("hold(1) when nothing came after message 1 (it must wait, not answer)").isNotDone();
        assertThat(board.waiting()).as("requests held by the board").isEqualTo(1);
        board.post("bob", "new", 2);
        assertThat(answer).as("the held answer after a new post").isDone();
        assertThat(answer.get()).as("the held answer's messages").extracting(ChatMessage::text).containsExactly("new");
        assertThat(board.waiting()).as("requests still held after they were answered").isZero();
    }

    // task 4: the timeout (a request held over HTTP needs both hold() and giveUpAfter())

    @Test
    @Tag("task:4")
    @DisplayName("over HTTP: a held GET (hold, then a timeout set) comes back with the message posted while it waited")
    void heldRequestGetsTheNewMessage() throws Exception {
        Future<List<ChatMessage>> held = threads.submit(() -> client.fetch(0, Duration.ofSeconds(10)));
        loop = held;
        await(() -> board.waiting() == 1, "the GET ...&wait=10000 to be held by the board");
        new ChatClient(server.url()).post("bob", "worth the wait");
        assertThat(held.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the held request's answer")
                .extracting(ChatMessage::text).containsExactly("worth the wait");
    }

    @Test
    @Tag("task:4")
    @DisplayName("over HTTP: a held GET that nobody answers comes back empty when its wait runs out")
    void heldRequestTimesOutEmpty() throws Exception {
        assertThat(client.fetch(0, Duration.ofMillis(300))).as("GET /messages?since=0&wait=300 with no messages").isEmpty();
    }

    @Test
    @Tag("task:4")
    @DisplayName("a request that timed out is forgotten, so held requests do not pile up")
    void timedOutRequestIsForgotten() throws Exception {
        CompletableFuture<List<ChatMessage>> answer = board.waitFor(0, Duration.ofMillis(200));
        assertThat(answer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the answer after the 200 ms wait").isEmpty();
        await(() -> board.waiting() == 0, "the board to forget the request that timed out");
    }

    // task 5: long polling

    @Test
    @Tag("task:5")
    @DisplayName("the long-polling loop lets the server hold its request, and gets the message posted meanwhile")
    void longPollGetsMessageWhileHeld() throws Exception {
        startLoop(() -> RequestResponse.longPoll(client, Duration.ofSeconds(10), this::receive, keepGoing::get));
        await(() -> board.waiting() == 1, "a request held by the server (fetch with a wait)");
        board.post("alice", "pushed", System.nanoTime());
        await(() -> inbox.contains("pushed"), "the message posted while the request was held");
    }

    @Test
    @Tag("task:5")
    @DisplayName("the long-polling loop asks again at once after each answer, without sleeping in between")
    void longPollAsksAgainAtOnce() throws Exception {
        AtomicReference<Thread> looper = new AtomicReference<>();
        startLoop(() -> {
            looper.set(Thread.currentThread());
            RequestResponse.longPoll(client, Duration.ofSeconds(10), this::receive, keepGoing::get);
        });
        AtomicBoolean slept = new AtomicBoolean();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            await(() -> board.waiting() == 1, "a request held by the server (fetch with a wait)");
            board.post("alice", "message " + i, System.nanoTime());
            long answered = System.nanoTime();
            await(() -> {
                slept.compareAndSet(false, sleeping(looper.get()));
                return board.waiting() == 1;
            }, "the next held request after message " + i);
            gaps.add((System.nanoTime() - answered) / 1_000_000);
        }
        assertThat(slept.get()).as("the loop was seen in Thread.sleep between two requests: with long polling the"
                + " server does the waiting, so ask again at once").isFalse();
        Collections.sort(gaps);
        assertThat(gaps.get(gaps.size() / 2)).as("median ms from an answer to the next held request (gaps %s):"
                + " asking again at once takes a few ms, a pause of half a second between requests is too long", gaps)
                .isLessThan(450);
    }

    /** True when the thread is inside Thread.sleep right now. */
    private static boolean sleeping(Thread thread) {
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().equals("java.lang.Thread") && f.getMethodName().startsWith("sleep"));
    }

    @Test
    @Tag("task:5")
    @DisplayName("the long-polling loop asks again after an empty answer and delivers each message once, in order")
    void longPollKeepsAsking() throws Exception {
        startLoop(() -> RequestResponse.longPoll(client, Duration.ofMillis(150), this::receive, keepGoing::get));
        await(() -> client.emptyResponses() >= 2, "two held requests that timed out");
        board.post("alice", "one", System.nanoTime());
        board.post("bob", "two", System.nanoTime());
        await(() -> inbox.size() >= 2, "both messages");
        long requests = client.requests();
        await(() -> client.requests() >= requests + 2, "two more requests after the messages");
        assertThat(inbox).as("what the loop gave the inbox (a repeat means it did not remember the last id)")
                .containsExactly("one", "two");
    }
}
