package relaylab.http;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/** A chat user that polls on its own thread: every interval (short) or holding requests (long, interval null). */
final class PollingUser implements ChatUser {
    private static final System.Logger LOG = System.getLogger("relaylab.http");
    private final ChatClient client;
    private final String name;
    private final Duration interval;
    private final Consumer<ChatMessage> inbox;
    private final Thread thread;
    private volatile boolean running = true;

    PollingUser(String baseUrl, String name, Duration interval, Consumer<ChatMessage> inbox) {
        this.client = new ChatClient(baseUrl);
        this.name = name;
        this.interval = interval;
        this.inbox = inbox;
        this.thread = new Thread(this::poll, "poll-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        long last = 0;
        try {
            while (running) {
                for (ChatMessage message : interval == null ? client.fetch(last, Transport.LONG_POLL_WAIT)
                        : client.fetch(last)) {
                    last = Math.max(last, message.id());
                    if (!message.user().equals(name)) {
                        inbox.accept(message);
                    }
                }
                if (interval != null) {
                    Thread.sleep(interval.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (running) {
                LOG.log(System.Logger.Level.WARNING, name + " stopped polling: " + e);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(String text) throws IOException, InterruptedException {
        client.post(name, text);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
