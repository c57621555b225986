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
        // TODO 6: SCAN the keys matching prefix*, sorted; for each a line "<key>  <type> ..." with its size,
        // and under the stream its last LAST entries, oldest first (task 6)
        throw new UnsupportedOperationException("TODO 6: describe the lesson's keys in Redis");
    }
}
