import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;
import relaylab.workbook.Task;

/** What {@code ./jbang lesson11 --inspect} prints: the lesson's keys in Redis right now, as Redis sees them. */
final class Inspect {
    /** How many of the newest stream entries to show. */
    static final int LAST = 5;

    private Inspect() {
    }

    @Task(number = 6, title = "Inspect what is in Redis",
            hint = "Walk the keys with SCAN (never KEYS on a real server: it blocks Redis): redis.scan(cursor,"
                    + " new ScanParams().match(prefix + \"*\").count(100)) until the cursor is \"0\" again, and sort them."
                    + " For each key one line: key, redis.type(key) and its size (stream: xlen entries, zset: zcard members,"
                    + " string: the value). Under a stream, its last LAST entries (xrevrange, shown oldest first) as"
                    + " \"  <id> <user>: <text>\"; under a zset, zrangeWithScores.")
    static List<String> describe(RedisClient redis, String prefix) {
        TreeSet<String> keys = new TreeSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(prefix + "*").count(100));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        List<String> lines = new ArrayList<>();
        for (String key : keys) {
            String type = redis.type(key);
            switch (type) {
                case "stream" -> {
                    lines.add(key + "  stream, " + redis.xlen(key) + " entries; the last " + LAST + ":");
                    List<StreamEntry> last = new ArrayList<>(redis.xrevrange(key, "+", "-", LAST));
                    Collections.reverse(last);
                    for (StreamEntry entry : last) {
                        lines.add("  " + entry.getID() + " " + entry.getFields().get("user") + ": " + entry.getFields().get("text"));
                    }
                }
                case "zset" -> {
                    lines.add(key + "  zset, " + redis.zcard(key) + " members (name and last-seen time in ms):");
                    redis.zrangeWithScores(key, 0, -1).forEach(t -> lines.add("  " + t.getElement() + " " + (long) t.getScore()));
                }
                case "string" -> {
                    long ttl = redis.pttl(key);
                    lines.add(key + "  string = " + redis.get(key) + (ttl >= 0 ? " (expires in " + ttl + " ms)" : ""));
                }
                default -> lines.add(key + "  " + type);
            }
        }
        return lines;
    }
}
