///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//SOURCES ChatStore.java Presence.java SaveQueue.java RedisOutage.java Inspect.java Heartbeat.java RedisChatEvents.java RedisChatRunner.java

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import redis.clients.jedis.RedisClient;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.TodoRecorder;
import relaylab.workbook.Lesson;

/**
 * Lesson 11: lesson 09's chat with its data in Redis, so history, names and presence survive a restart and are
 * shared by every chat server on the same Redis; when Redis goes down, the chat goes on. The Redis commands are
 * in ChatStore, Presence, SaveQueue and Inspect; this file wires them to the sockets. Given beside it:
 * RedisChatEvents.java (the ack, reading what clients send), RedisChatRunner.java (the command line and demo).
 */
@Lesson(number = 11, title = "Redis",
        summary = "The chat's history in a Redis Stream, unique names with SET NX, presence with heartbeats,"
                + " and a chat that keeps going while Redis is down.")
public class RedisChat implements AutoCloseable {
    static final int HISTORY_COUNT = 50;
    static final int MAX_TEXT = 500;
    static final int MAX_NAME = 20;

    /** Keys start with prefix; heartbeat paces presence; queueCapacity bounds what waits while Redis is down. */
    record Settings(String prefix, Duration heartbeat, int queueCapacity, Consumer<String> log) {
    }

    final RealtimeServer server;
    final ChatStore store;
    final Presence presence;
    final SaveQueue queue;
    /** This server's users: socket id to name. */
    final Map<String, String> names = new ConcurrentHashMap<>();
    final TodoRecorder unfinished = new TodoRecorder(Reply::refused);
    final Heartbeat heartbeat;

    /** Serves the page (index.html) from the classpath root next to this class; tests pass this to the fixture too. */
    static void configure(RealtimeConfig config) {
        config.staticFiles(RedisChat.class, "/");
    }

    /** Installs the chat's handlers on a server and starts the heartbeat; main and the tests both use it. */
    RedisChat(RealtimeServer server, RedisClient redis, Settings settings) {
        this.server = server;
        long beat = settings.heartbeat().toMillis();
        store = new ChatStore(redis, settings.prefix(), 3 * beat);
        presence = new Presence(redis, settings.prefix(), beat);
        queue = new SaveQueue(store, settings.queueCapacity(), saved -> server.emit("messageSaved", saved), settings.log());
        server.onHandlerError(unfinished);
        server.on("connection", socket -> {
            socket.on("register", (args, ack) -> ack.send(register(socket, RedisChatEvents.text(args))));
            socket.on("sendMessage", (args, ack) -> ack.send(sendMessage(socket, RedisChatEvents.text(args))));
            socket.on("resume", (args, ack) -> ack.send(queue.orElse(() -> store.after(RedisChatEvents.text(args), HISTORY_COUNT), List.of())));
            socket.onDisconnect(reason -> leave(socket));
        });
        heartbeat = new Heartbeat(this, settings.heartbeat());
    }

    Reply register(RealtimeSocket socket, String requested) {
        String name = requested == null ? "" : requested.strip();
        if (name.isEmpty() || name.length() > MAX_NAME || names.containsKey(socket.id())) {
            return Reply.refused("Pick a username of 1 to " + MAX_NAME + " characters (one per connection).");
        }
        if (!queue.orElse(() -> store.claim(name, socket.id()), false)) {
            return Reply.refused(queue.isDown() ? "The chat's store (Redis) is not reachable; try again in a moment."
                    : "The username \"" + name + "\" is taken; pick another one.");
        }
        names.put(socket.id(), name);
        queue.orElse(() -> presence.beat(List.of(name), System.currentTimeMillis()), 0L);
        socket.emit("chatHistory", queue.orElse(() -> store.latest(HISTORY_COUNT), List.of()));
        heartbeat.sendOnlineUsers(true);
        return new Reply(true, null, name);
    }

    Reply sendMessage(RealtimeSocket socket, String text) {
        String user = names.get(socket.id());
        if (user == null || text == null || text.isBlank() || text.length() > MAX_TEXT) {
            return Reply.refused(user == null ? "Register a username before sending messages."
                    : "A message has 1 to " + MAX_TEXT + " characters.");
        }
        ChatStore.Draft draft = new ChatStore.Draft(user, text.strip(), Instant.now().toString(), UUID.randomUUID().toString());
        SaveQueue.Result result = queue.save(draft);
        if (result.refused()) {
            return Reply.refused("Redis is down and " + queue.waiting() + " messages already wait to be saved; try again later.");
        }
        server.emit("receiveMessage", new ChatStore.ChatMessage(result.id(), user, draft.text(), draft.time(), result.saved()));
        return new Reply(true, null, null);
    }

    void leave(RealtimeSocket socket) {
        String name = names.remove(socket.id());
        if (name != null) {
            queue.orElse(() -> store.release(name, socket.id()) & presence.leave(name), false);
            heartbeat.sendOnlineUsers(false);
        }
    }

    /** Stops the heartbeat and the retries (the server and Redis are closed by whoever started them). */
    @Override
    public void close() {
        heartbeat.close();
        queue.close();
    }

    public static void main(String[] args) {
        RedisChatRunner.main(args);
    }
}
