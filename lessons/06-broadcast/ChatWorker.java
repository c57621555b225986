import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.client.RealtimeClient;
import relaylab.workbook.Task;

/**
 * A simulated chat user: a Java client that logs what it hears the moment it arrives, and says
 * something now and then. Several of them, each in its own thread, make a busy chat room.
 */
final class ChatWorker implements AutoCloseable {
    private static final List<String> PHRASES = List.of("hi all", "anyone here?", "what are you working on?",
            "coffee time", "the build is green", "brb", "nice!", "who broke main?");

    private final String name;
    private final RealtimeClient client;
    private final int messages;
    private final Duration minPause;
    private final Duration maxPause;
    private final Random random;
    private final Consumer<String> log;
    private final List<BroadcastChat.Message> heard = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();
    private final AtomicInteger ownEchoes = new AtomicInteger();

    ChatWorker(String name, String url, int messages, Duration minPause, Duration maxPause, Random random,
               Consumer<String> log) {
        this.name = name;
        this.messages = messages;
        this.minPause = minPause;
        this.maxPause = maxPause;
        this.random = random;
        this.log = log;
        this.client = RealtimeClient.connect(url);
        listen();
    }

    @Task(number = 3, title = "A worker hears the chat",
            hint = "client.on(\"welcome\", args -> log.accept(name + \" was welcomed: \" + args.get(0))); and"
                    + " client.on(\"chat\", args -> ...): convert args.get(0) with RealtimeJson.convert(...,"
                    + " BroadcastChat.Message.class); if its from() equals client.id() it is your own message: count it in"
                    + " ownEchoes and log a warning; otherwise log name + \" ← \" + text, then hear(message).")
    private void listen() {
        // TODO 3: log the welcome; on each chat, hear() and log it, or count and log it as your own echo (task 3)
        throw new UnsupportedOperationException("TODO 3: listen to welcome and chat");
    }

    @Task(number = 4, title = "A worker talks at random intervals",
            hint = "nextPause(): a random number of milliseconds from minPause to maxPause, both included"
                    + " (random.nextLong(origin, bound) never returns bound itself: add 1). talk(): `messages` times, sleep for"
                    + " nextPause(), then say(i) the i-th message (1, 2, 3...).")
    Duration nextPause() {
        // TODO 4: a random pause from minPause to maxPause, both included (task 4)
        throw new UnsupportedOperationException("TODO 4: pick a random pause");
    }

    /** Says `messages` things, each after a random pause (task 4). */
    void talk() throws InterruptedException {
        // TODO 4: `messages` times: wait nextPause(), then say(i) (task 4)
        throw new UnsupportedOperationException("TODO 4: talk at random intervals");
    }

    /** Sends the n-th message: the worker's name and a phrase. */
    void say(int n) {
        String text = name + ": " + PHRASES.get(random.nextInt(PHRASES.size())) + " (#" + n + ")";
        synchronized (this) {
            sent.add(text);
        }
        log.accept(String.format("%-9s → %s", name, text));
        client.emit("chat", text);
    }

    /** Records a message from someone else and wakes up whoever waits in awaitHeard. */
    private synchronized void hear(BroadcastChat.Message message) {
        heard.add(message);
        notifyAll();
    }

    /** Waits until this worker heard {@code count} messages from others; false if not within {@code timeout}. */
    synchronized boolean awaitHeard(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (heard.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Waits until connected; IllegalStateException with the reason otherwise. */
    ChatWorker awaitConnected(Duration timeout) {
        client.awaitConnected(timeout);
        return this;
    }

    String name() {
        return name;
    }

    /** The socket id the server gave this worker (null while not connected). */
    String id() {
        return client.id();
    }

    synchronized List<BroadcastChat.Message> heard() {
        return List.copyOf(heard);
    }

    synchronized List<String> sent() {
        return List.copyOf(sent);
    }

    /** How many of its own messages came back to this worker (0 with a broadcast). */
    int ownEchoes() {
        return ownEchoes.get();
    }

    @Override
    public void close() {
        client.disconnect();
    }
}
