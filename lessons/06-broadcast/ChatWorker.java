import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import relaylab.realtime.RealtimeJson;
import relaylab.workbook.Task;

/**
 * A simulated chat user: a Java client that logs what it hears the moment it arrives, and says
 * something now and then. Several of them, each in its own thread, make a busy chat room. What it keeps
 * (what it heard and said, the waits and counts) is given in ChatWorkerBase.java.
 */
final class ChatWorker extends ChatWorkerBase {
    private static final List<String> PHRASES = List.of("hi all", "anyone here?", "what are you working on?",
            "coffee time", "the build is green", "brb", "nice!", "who broke main?");

    private final int messages;
    private final Duration minPause;
    private final Duration maxPause;
    private final Random random;

    /** name, client, log, ownEchoes and hear() are given in ChatWorkerBase. */
    ChatWorker(String name, String url, int messages, Duration minPause, Duration maxPause, Random random,
               Consumer<String> log) {
        super(name, url, log);
        this.messages = messages;
        this.minPause = minPause;
        this.maxPause = maxPause;
        this.random = random;
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
        said(text);
        log.accept(String.format("%-9s → %s", name, text));
        client.emit("chat", text);
    }

    /** Waits until connected; IllegalStateException with the reason otherwise. */
    ChatWorker awaitConnected(Duration timeout) {
        client.awaitConnected(timeout);
        return this;
    }
}
