import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.RedisClient;
import relaylab.workbook.Task;

/**
 * Who is online, across every chat server that shares this Redis: a sorted set {@code <prefix>online} whose
 * members are names and whose scores are the time (ms) each was last seen. Each server refreshes its own users
 * on every heartbeat; anyone not seen for two heartbeats is pruned, so the users of a crashed server disappear
 * instead of staying online forever as ghosts.
 */
final class Presence {
    final RedisClient redis;
    final String key;
    final long heartbeatMillis;

    Presence(RedisClient redis, String prefix, long heartbeatMillis) {
        this.redis = redis;
        this.key = prefix + "online";
        this.heartbeatMillis = heartbeatMillis;
    }

    @Task(number = 4, title = "Presence with heartbeats in a sorted set",
            hint = "beat: one ZADD with every name scored nowMillis (redis.zadd(key, Map<name, score>)); skip an empty"
                    + " collection. prune: redis.zremrangeByScore(key, Double.NEGATIVE_INFINITY, nowMillis - 2 * heartbeatMillis)"
                    + " removes whoever was not seen for two heartbeats. online: redis.zrange(key, 0, -1), sorted without regard"
                    + " to case. leave: redis.zrem(key, name).")
    long beat(Collection<String> names, long nowMillis) {
        if (names.isEmpty()) {
            return 0;
        }
        Map<String, Double> scores = new HashMap<>();
        for (String name : names) {
            scores.put(name, (double) nowMillis);
        }
        return redis.zadd(key, scores);
    }

    /** Removes everyone not seen for two heartbeats; returns how many were removed. */
    long prune(long nowMillis) {
        return redis.zremrangeByScore(key, Double.NEGATIVE_INFINITY, nowMillis - 2 * heartbeatMillis);
    }

    /** The names online now, sorted without regard to case. */
    List<String> online() {
        List<String> names = new ArrayList<>(redis.zrange(key, 0, -1));
        names.sort(String.CASE_INSENSITIVE_ORDER);
        return names;
    }

    /** Someone left on purpose (disconnected): remove them now rather than after two heartbeats. */
    boolean leave(String name) {
        return redis.zrem(key, name) > 0;
    }
}
