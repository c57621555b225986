import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The chat server's heartbeat, every {@code interval}: this server's users are marked as seen (Presence.beat) and
 * keep their names (ChatStore.refresh), whoever was not seen for two heartbeats is pruned, and the pages get the
 * online list when it changed. Nothing to write here: it calls your Presence and ChatStore.
 */
final class Heartbeat implements AutoCloseable {
    private final RedisChat chat;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "heartbeat"));
    private volatile List<String> lastOnline = List.of();
    private volatile String lastError;

    Heartbeat(RedisChat chat, Duration interval) {
        this.chat = chat;
        timer.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            long now = System.currentTimeMillis();
            chat.queue.orElse(() -> {
                chat.presence.beat(chat.names.values(), now);
                chat.names.forEach((socketId, name) -> chat.store.refresh(name, socketId));
                return chat.presence.prune(now);
            }, 0L);
            sendOnlineUsers(false);
        } catch (RuntimeException e) {   // e.g. an unfinished TODO: say it once, and keep beating
            if (!String.valueOf(e.getMessage()).equals(lastError)) {
                lastError = String.valueOf(e.getMessage());
                chat.queue.log("The heartbeat failed: " + e.getMessage());
            }
        }
    }

    /** Sends onlineUsers to everyone when the list changed (or always); while Redis is down, the last list stands. */
    void sendOnlineUsers(boolean always) {
        List<String> online = chat.queue.orElse(chat.presence::online, lastOnline);
        if (always || !online.equals(lastOnline)) {
            lastOnline = online;
            chat.server.emit("onlineUsers", online);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
