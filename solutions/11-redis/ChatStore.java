import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;
import relaylab.workbook.Task;

/**
 * The chat's data in Redis, under one key prefix ("chat:" when you run the lesson; each test uses its own):
 * the messages in a stream {@code <prefix>messages}, and each taken username in a string
 * {@code <prefix>user:<name>} holding the socket id that owns it. Jedis's methods are named after the commands.
 */
final class ChatStore {
    /** The stream keeps about this many messages (MAXLEN ~: Redis trims whole blocks, so a few more may stay). */
    static final int MAX_MESSAGES = 1000;
    /** Deletes the name only when it still holds this socket id: read and delete in one atomic step. */
    static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    /** Extends the name's expiry only when it still holds this socket id. */
    static final String REFRESH = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

    /** One chat message as pages get it; id is the stream entry id, or "pending-N" while not saved yet. */
    record ChatMessage(String id, String user, String text, String time, boolean saved) {
    }

    /** A message before Redis numbered it: who, what, when, and a unique mark to recognise it after an outage. */
    record Draft(String user, String text, String time, String mark) {
    }

    final RedisClient redis;
    final String prefix;
    /** How long a name stays taken without a heartbeat refreshing it (a crashed server's names free themselves). */
    final long nameTtlMillis;

    ChatStore(RedisClient redis, String prefix, long nameTtlMillis) {
        this.redis = redis;
        this.prefix = prefix;
        this.nameTtlMillis = nameTtlMillis;
    }

    String messagesKey() {
        return prefix + "messages";
    }

    String nameKey(String name) {
        return prefix + "user:" + name.toLowerCase(Locale.ROOT);
    }

    @Task(number = 1, title = "Keep the history in a Redis Stream",
            hint = "redis.xadd(messagesKey(), XAddParams.xAddParams().maxLen(MAX_MESSAGES).approximateTrimming(),"
                    + " Map.of(\"user\", ..., \"text\", ..., \"time\", ..., \"mark\", ...)) is XADD key MAXLEN ~ 1000 * ...;"
                    + " it returns the StreamEntryID Redis gave the entry: return its toString(), e.g. \"1733000000000-0\".")
    String append(Draft draft) {
        return redis.xadd(messagesKey(), XAddParams.xAddParams().maxLen(MAX_MESSAGES).approximateTrimming(),
                Map.of("user", draft.user(), "text", draft.text(), "time", draft.time(), "mark", draft.mark())).toString();
    }

    @Task(number = 2, title = "Give a newcomer the latest messages, and resume after an id",
            hint = "latest: redis.xrevrange(messagesKey(), \"+\", \"-\", count) gives the newest first: reverse it."
                    + " after: redis.xrange(messagesKey(), \"(\" + id, \"+\", count); the \"(\" makes the range exclusive"
                    + " (Redis 6.2+), so the entry with that id is not sent again. Turn each entry into a message with message(entry).")
    List<ChatMessage> latest(int count) {
        List<ChatMessage> newestFirst = new ArrayList<>();
        for (StreamEntry entry : redis.xrevrange(messagesKey(), "+", "-", count)) {
            newestFirst.add(message(entry));
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The messages after {@code id} (not that one), oldest first: what a page that saw {@code id} missed. */
    List<ChatMessage> after(String id, int count) {
        List<ChatMessage> messages = new ArrayList<>();
        for (StreamEntry entry : redis.xrange(messagesKey(), "(" + id, "+", count)) {
            messages.add(message(entry));
        }
        return messages;
    }

    /** A stream entry as the chat message the pages get: the entry id is the message id. */
    static ChatMessage message(StreamEntry entry) {
        Map<String, String> fields = entry.getFields();
        return new ChatMessage(entry.getID().toString(), fields.get("user"), fields.get("text"), fields.get("time"), true);
    }

    /** The id of one of the newest {@code look} entries carrying this mark, or null: did a write whose answer was lost happen? */
    String idOf(String mark, int look) {
        return redis.xrevrange(messagesKey(), "+", "-", look).stream().filter(e -> mark.equals(e.getFields().get("mark")))
                .map(e -> e.getID().toString()).findFirst().orElse(null);
    }

    @Task(number = 3, title = "Make names unique across servers with SET NX",
            hint = "claim: redis.set(nameKey(name), socketId, SetParams.setParams().nx().px(nameTtlMillis)) answers \"OK\""
                    + " when the key was free and null when someone holds it: one atomic step, so two servers cannot both win."
                    + " release: redis.eval(RELEASE, List.of(nameKey(name)), List.of(socketId)); refresh likewise with REFRESH"
                    + " and the ttl as a second argument. Never GET then SET: another server can act in between.")
    boolean claim(String name, String socketId) {
        return "OK".equals(redis.set(nameKey(name), socketId, SetParams.setParams().nx().px(nameTtlMillis)));
    }

    /** Frees the name, but only when this socket holds it (a late release must not free someone else's name). */
    boolean release(String name, String socketId) {
        return Long.valueOf(1).equals(redis.eval(RELEASE, List.of(nameKey(name)), List.of(socketId)));
    }

    /** Keeps the name taken for another nameTtlMillis, when this socket still holds it (called on each heartbeat). */
    boolean refresh(String name, String socketId) {
        return Long.valueOf(1).equals(redis.eval(REFRESH, List.of(nameKey(name)), List.of(socketId, String.valueOf(nameTtlMillis))));
    }
}
