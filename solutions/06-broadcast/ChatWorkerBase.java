import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import relaylab.realtime.client.RealtimeClient;

/**
 * The given half of a ChatWorker: its name, its client, and the record of what it heard and said, with the
 * waits and counts that ChatCrew and the tests read. ChatWorker adds what a worker does (tasks 3 and 4).
 * Nothing to write here.
 */
abstract class ChatWorkerBase implements AutoCloseable {
    final String name;
    final RealtimeClient client;
    final Consumer<String> log;
    /** How many of its own messages came back to this worker (0 with a broadcast). */
    final AtomicInteger ownEchoes = new AtomicInteger();
    private final List<BroadcastChat.Message> heard = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();

    ChatWorkerBase(String name, String url, Consumer<String> log) {
        this.name = name;
        this.log = log;
        this.client = RealtimeClient.connect(url);
    }

    /** Records a message from someone else and wakes up whoever waits in awaitHeard. */
    synchronized void hear(BroadcastChat.Message message) {
        heard.add(message);
        notifyAll();
    }

    /** Records a message this worker sent. */
    synchronized void said(String text) {
        sent.add(text);
    }

    /** Waits until this worker heard {@code count} messages from others; false if not within {@code timeout}. */
    synchronized boolean awaitHeard(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (heard.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
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

    int ownEchoes() {
        return ownEchoes.get();
    }

    @Override
    public void close() {
        client.disconnect();
    }
}
